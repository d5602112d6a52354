// tests/integration/sim: what the simulator's own tests share, all from tests/support: the
// simulator launcher, the HTTP helpers, the capture folders and running envoy-sim to completion.
#pragma once

#include "Harness.hpp"
#include "Http.hpp"
#include "Process.hpp"

#include <nlohmann/json.hpp>

#include <chrono>
#include <string>
#include <vector>

namespace simtest {

using namespace std::chrono_literals;
using testsupport::Auth;
using testsupport::get;
using testsupport::launch_simulator;
using testsupport::post;
using testsupport::read_stream;
using testsupport::Response;
using testsupport::StreamResult;
using testsupport::Simulator;

// Path of a capture folder below tests/data/envoy.
inline std::string capture(const std::string& name) { return testsupport::capture_dir(name); }

// Runs envoy-sim with args to completion and returns its trimmed output (e.g. a token).
inline std::string run_sim(std::vector<std::string> args, int* exit_code = nullptr) {
    return testsupport::run_simulator(std::move(args), exit_code);
}

}  // namespace simtest
