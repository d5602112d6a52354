// app: `--capture DIR`: records, from the configured gateway, every endpoint the driver reads
// (and the battery and power-limit endpoints) into DIR in the format of tests/data/envoy (one
// file per endpoint, NAME_log.json with the HTTP status and content type), with serial numbers,
// tokens, e-mail, IP and MAC addresses replaced (app::Redactor). `envoy-sim --capture DIR`
// serves the result, so a user's gateway can be replayed by the developers.
#pragma once

#include <string>

#include "config/Config.hpp"

namespace app {

// Returns the process exit code: 0 recorded, 1 the gateway could not be read, 2 configuration
// problem or an unusable DIR (not empty, not writable).
int run_capture(const config::Config& config, const std::string& dir);

}  // namespace app
