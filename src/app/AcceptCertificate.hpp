// app: `--accept-certificate`: trust the key the gateway presents now (after a replaced gateway
// or a firmware update that renewed its certificate): reads /info over HTTPS without sending any
// credential and remembers the key as the gateway's pin (envoy/GatewayKey.hpp). A running daemon
// takes it at its next attempt.
#pragma once

#include "config/Config.hpp"

namespace app {

// Returns the process exit code: 0 accepted, 1 the gateway could not be read, 2 nothing to accept
// (plain HTTP, [ENVOY] certificate = any) or a configured pin to change by hand.
int run_accept_certificate(const config::Config& config);

}  // namespace app
