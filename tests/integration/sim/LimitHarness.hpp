// tests/integration/sim: what the production limit tests share: the capture they limit and its
// figures (hand-read from the capture files), DPEL bodies written out by hand, requests with an
// installer token, and timed polling of the production meter.
#pragma once

#include "SimHarness.hpp"

#include <chrono>
#include <functional>
#include <string>
#include <vector>

namespace simtest {

// Firmware D8.2.4345, one phase: production CT 807.326 W, net CT +199.234 W (importing).
inline const std::string kLimitFolder = "8.2.4345_with_device_data";
inline constexpr double kProductionW = 807.326;
inline constexpr double kNetW = 199.234;
// The model swings each figure by up to 5 % (slow sinusoid) plus 1 % (noise); the noise-free
// value, what a new limit starts from, by up to 5 %.
inline constexpr double kSwing = 0.06;
inline constexpr double kNoiseFreeSwing = 0.05;

inline constexpr const char* kDpel = "/ivp/ss/dpel";
inline constexpr const char* kPowerMode = "/ivp/mod/603980032/mode/power";

// A DPEL document as the gateway stores and answers it, written out by hand.
inline std::string dpel_document(bool enable, bool export_limit, const std::string& watts, const std::string& slew) {
    return std::string(R"({"dynamic_pel_settings":{"enable":)") + (enable ? "true" : "false") +
           R"(,"export_limit":)" + (export_limit ? "true" : "false") + R"(,"limit_value_W":)" + watts +
           R"(,"slew_rate":)" + slew + R"(,"enable_dynamic_limiting":false},"filename":"site_settings","version":"00.00.01"})";
}

inline std::string token_for(const std::string& folder, const std::string& role) {
    return run_sim({"--make-token", role, "--capture", capture(folder)});
}

// One reading of the production meter with the client's clock around it (seconds since t0).
struct TimedReading {
    double before = 0, after = 0;
    double production = 0, net = 0;
};

using SteadyClock = std::chrono::steady_clock;

inline double seconds_since(SteadyClock::time_point t0) {
    return std::chrono::duration<double>(SteadyClock::now() - t0).count();
}

// /ivp/meters/readings: meter 0 is the production CT, meter 1 the net CT in kLimitFolder.
inline TimedReading read_meters(const std::string& url, const Auth& auth, SteadyClock::time_point t0) {
    TimedReading r;
    r.before = seconds_since(t0);
    const auto body = nlohmann::json::parse(get(url + "/ivp/meters/readings", auth).body);
    r.after = seconds_since(t0);
    r.production = body[0]["activePower"].get<double>();
    r.net = body[1]["activePower"].get<double>();
    return r;
}

// Polls the meters until done(reading) or the timeout; every reading goes into *seen.
inline bool poll_meters(const std::string& url, const Auth& auth, SteadyClock::time_point t0,
                        const std::function<bool(const TimedReading&)>& done, std::chrono::milliseconds timeout,
                        std::vector<TimedReading>* seen) {
    return testsupport::wait_until(
        [&] {
            seen->push_back(read_meters(url, auth, t0));
            return done(seen->back());
        },
        timeout);
}

}  // namespace simtest
