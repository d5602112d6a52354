// Integration: the daemon's energy counters on D-Bus. With counters on the gateway they are
// published as the capture has them; with stream-only access (readings and production.json
// refused) the power is integrated, saved, survives a kill -9 and never decreases.
#include <gtest/gtest.h>

#include <cmath>
#include <csignal>
#include <regex>

#include "BusClient.hpp"
#include "DaemonOnBus.hpp"
#include "Harness.hpp"

using namespace testsupport;
using dbustest::BusClient;

namespace {

constexpr const char* kCapture = "8.2.4345_with_device_data";
constexpr double kCapturePvPowerW = 807.326;  // production meter activePower, served by --static

class Energy : public dbustest::DaemonOnBus {
protected:
    void start(const std::vector<std::string>& sim_args) {
        sim = start_simulator(kCapture, sim_args);
        config = write_config(dir, sim.address(), "token = " + make_token(kCapture, "installer") + "\n", "[GRID]\nenabled = 1\n");
        start_daemon();
    }

    // The value of path as a number; nullopt while the service is missing or the value invalid.
    std::optional<double> number(const std::string& service, const std::string& path) {
        const auto typed = value_of(service, path);
        if (typed && typed->value.is_number()) return typed->value.get<double>();
        return std::nullopt;
    }

    std::optional<double> wait_for_number(const std::string& service, const std::string& path, std::chrono::milliseconds timeout,
                                          double above = -1.0) {
        std::optional<double> value;
        wait_until([&] {
            value = number(service, path);
            return value && *value > above;
        }, timeout);
        if (value && *value > above) return value;
        return std::nullopt;
    }

    // Every /Ac/Energy/Forward value the PV service signalled since the last call.
    std::vector<double> signalled_forward() {
        std::vector<double> values;
        for (const auto& signal : client->take_signals(kPv)) {
            if (signal.member != "ItemsChanged" || !signal.body.contains("/Ac/Energy/Forward")) continue;
            const auto& value = signal.body["/Ac/Energy/Forward"]["Value"];
            if (value.is_number()) values.push_back(value.get<double>());
        }
        return values;
    }

    // pv.total.forward in a counter file, if present.
    std::optional<double> saved_pv_forward(const std::string& path) {
        std::smatch match;
        std::string text;
        try {
            text = read_file(path);
        } catch (const std::exception&) {
            return std::nullopt;
        }
        if (!std::regex_search(text, match, std::regex(R"(pv\.total\.forward ([0-9.eE+-]+))"))) return std::nullopt;
        return std::stod(match[1]);
    }

    void stop_daemon() {
        daemon->signal(SIGTERM);
        auto code = daemon->wait_exit(10s);
        ASSERT_TRUE(code.has_value()) << daemon->output();
        EXPECT_EQ(*code, 0) << daemon->output();
    }
};

TEST_F(Energy, CountersOfTheGatewayMatchTheCapture) {
    start({"--static"});
    // Until the first readings answer, production.json's whLifetime (1243811.514 Wh) stands in;
    // then the production meter's own counter.
    ASSERT_TRUE(wait_until([&] {
        auto pv = number(kPv, "/Ac/Energy/Forward");
        return pv && std::abs(*pv - 1243.812228) < 1e-6;
    }, 20s)) << number(kPv, "/Ac/Energy/Forward").value_or(-1) << "\n" << daemon->output();
    ASSERT_TRUE(wait_for_number(kGrid, "/Ac/Energy/Reverse", 20s)) << daemon->output();
    // The stream is the source; the counters come from the readings merged into it.
    EXPECT_NE(client->get_value(kPv, "/Mgmt/Connection").value.get<std::string>().find("(stream)"), std::string::npos);
    EXPECT_NEAR(*number(kPv, "/Ac/L1/Energy/Forward"), 1243.812228, 1e-3);
    EXPECT_NEAR(*number(kGrid, "/Ac/Energy/Forward"), 648.203353, 1e-6);
    EXPECT_NEAR(*number(kGrid, "/Ac/Energy/Reverse"), 883.899646, 1e-6);
    // Stable while the stream goes on: no other value in the next samples.
    client->subscribe(kPv);
    int batches = 0;
    ASSERT_TRUE(wait_until([&] {
        for (const auto& signal : client->take_signals(kPv)) {
            if (signal.member != "ItemsChanged") continue;
            ++batches;
            if (signal.body.contains("/Ac/Energy/Forward")) ADD_FAILURE() << signal.body.dump();
        }
        return batches >= 3;
    }, 10s));
    EXPECT_NEAR(*number(kPv, "/Ac/Energy/Forward"), 1243.812228, 1e-6);
    stop_daemon();
    // Nothing was integrated, so nothing was written.
    EXPECT_FALSE(saved_pv_forward(dir.path() + "/run/energy-counters.txt"));
    EXPECT_FALSE(saved_pv_forward(dir.path() + "/energy-counters.txt"));
    EXPECT_EQ(daemon->output().find("integrating"), std::string::npos) << daemon->output();
}

TEST_F(Energy, StreamOnlyAccessIntegratesPersistsAcrossKillAndNeverDecreases) {
    const auto started = std::chrono::steady_clock::now();
    start({"--static", "--fail", "/ivp/meters/readings=404", "--fail", "/production.json=404"});
    client->subscribe(kPv);
    // The counters appear once the gateway has offered none for the grace period (15 s).
    auto first = wait_for_number(kPv, "/Ac/Energy/Forward", 40s);
    ASSERT_TRUE(first) << daemon->output();
    EXPECT_NE(daemon->output().find("the gateway offers no pv.total.forward counter; integrating the power"), std::string::npos);
    EXPECT_NE(client->get_value(kPv, "/Mgmt/Connection").value.get<std::string>().find("(stream)"), std::string::npos);
    // No more than the capture's PV power over the whole run, and something.
    const double hours = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count() / 3600.0;
    EXPECT_GT(*first, 0.0);
    EXPECT_LE(*first, kCapturePvPowerW * hours / 1000.0);
    // The grid meter integrates import (the capture imports ~199 W) and export separately.
    EXPECT_TRUE(wait_for_number(kGrid, "/Ac/Energy/Forward", 10s, 0.0)) << daemon->output();
    EXPECT_EQ(number(kGrid, "/Ac/Energy/Reverse"), 0.0);

    auto increased = wait_for_number(kPv, "/Ac/Energy/Forward", 15s, *first);
    ASSERT_TRUE(increased) << daemon->output();
    const double before_kill = *number(kPv, "/Ac/Energy/Forward");
    std::vector<double> seen = signalled_forward();

    daemon->signal(SIGKILL);
    ASSERT_TRUE(daemon->wait_exit(10s).has_value());
    auto saved = saved_pv_forward(dir.path() + "/run/energy-counters.txt");
    ASSERT_TRUE(saved) << "no counter file in volatile_dir";
    EXPECT_GE(*saved, before_kill);

    start_daemon();
    auto after_restart = wait_for_number(kPv, "/Ac/Energy/Forward", 40s);
    ASSERT_TRUE(after_restart) << daemon->output();
    EXPECT_GE(*after_restart, before_kill);
    EXPECT_NE(daemon->output().find("integrated counters restored"), std::string::npos) << daemon->output();
    ASSERT_TRUE(wait_for_number(kPv, "/Ac/Energy/Forward", 15s, *after_restart)) << daemon->output();
    for (double value : signalled_forward()) seen.push_back(value);

    ASSERT_GE(seen.size(), 3u);
    for (std::size_t i = 1; i < seen.size(); ++i) EXPECT_GE(seen[i], seen[i - 1]) << "sample " << i;
    const double last = *number(kPv, "/Ac/Energy/Forward");
    stop_daemon();
    // Shutdown flushes to state_dir.
    auto flushed = saved_pv_forward(dir.path() + "/energy-counters.txt");
    ASSERT_TRUE(flushed) << daemon->output();
    EXPECT_GE(*flushed, last);
}

}  // namespace
