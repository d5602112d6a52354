// tests/integration/sim: /stream/meter events follow the capture's enabled meters (phases,
// signs, magnitudes), change over time, are self-consistent and serve several clients.
#include "SimHarness.hpp"

#include "envoy/parsers/InstallerPassword.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <set>
#include <thread>

using namespace simtest;

namespace {

const char* const kPhases[] = {"ph-a", "ph-b", "ph-c"};

std::string installer_token(const std::string& folder) {
    return run_sim({"--make-token", "installer", "--capture", capture(folder)});
}

std::vector<nlohmann::json> stream_events(const std::string& folder, std::size_t n) {
    auto sim = launch_simulator({"--capture", capture(folder), "--stream-interval-ms", "40"});
    EXPECT_TRUE(sim.ready()) << sim.process->output();
    auto r = read_stream(sim.url + "/stream/meter", {installer_token(folder)}, n, 10s);
    EXPECT_EQ(r.status, 200);
    std::vector<nlohmann::json> out;
    for (const auto& e : r.events) out.push_back(nlohmann::json::parse(e));
    return out;
}

void expect_consistent_phase(const nlohmann::json& ph) {
    for (const char* k : {"p", "q", "s", "v", "i", "pf", "f"}) ASSERT_TRUE(ph.contains(k)) << k;
    double p = ph["p"], s = ph["s"], v = ph["v"], i = ph["i"], pf = ph["pf"];
    EXPECT_GE(s + 0.002, std::abs(p)) << ph;
    if (s > 1.0) {
        EXPECT_NEAR(pf, p / s, 0.002) << ph;
    }
    if (v > 50.0) {
        EXPECT_NEAR(i, s / v, 0.01 + 0.01 * i) << ph;
    }
}

}  // namespace

TEST(SimStream, ThreePhaseCaptureKeepsSignsAndChanges) {
    auto events = stream_events("7.6.175_with_cts_3phase", 4);
    ASSERT_GE(events.size(), 3u);
    std::set<double> production_values;
    for (const auto& e : events) {
        for (const char* meter : {"production", "net-consumption", "total-consumption"}) {
            ASSERT_TRUE(e.contains(meter)) << meter;
            for (const char* ph : kPhases) expect_consistent_phase(e[meter][ph]);
        }
        // Capture: production ph-a +488.9 W, net-consumption ph-a -36.2 W (exporting).
        double prod = e["production"]["ph-a"]["p"], net = e["net-consumption"]["ph-a"]["p"];
        EXPECT_GT(prod, 488.925 * 0.85);
        EXPECT_LT(prod, 488.925 * 1.15);
        EXPECT_LT(net, -36.162 * 0.85);
        EXPECT_GT(net, -36.162 * 1.15);
        EXPECT_NEAR(e["production"]["ph-a"]["f"].get<double>(), 50.0, 0.01);
        for (const char* ph : kPhases) {
            double total = e["total-consumption"][ph]["p"];
            EXPECT_NEAR(e["net-consumption"][ph]["p"].get<double>(), total - e["production"][ph]["p"].get<double>(),
                        0.01);
        }
        EXPECT_NEAR(e["production"]["ph-b"]["p"].get<double>(), 0.0, 0.01);  // the capture's idle phase
        production_values.insert(prod);
    }
    EXPECT_GE(production_values.size(), 3u) << "values must change between events";
}

TEST(SimStream, OnePhaseCaptureLeavesOtherPhasesAtZero) {
    auto events = stream_events("8.2.4345_with_device_data", 3);  // phaseCount 1
    ASSERT_EQ(events.size(), 3u);
    std::set<double> net_values;
    for (const auto& e : events) {
        double prod = e["production"]["ph-a"]["p"], net = e["net-consumption"]["ph-a"]["p"];
        EXPECT_GT(prod, 807.326 * 0.85);  // capture: production +807 W, importing +199 W
        EXPECT_GT(net, 199.234 * 0.85);
        EXPECT_LT(net, 199.234 * 1.15);
        for (const char* meter : {"production", "net-consumption", "total-consumption"}) {
            for (const char* ph : {"ph-b", "ph-c"}) {
                EXPECT_EQ(e[meter][ph]["p"].get<double>(), 0.0) << meter << " " << ph;
                EXPECT_EQ(e[meter][ph]["i"].get<double>(), 0.0) << meter << " " << ph;
            }
        }
        net_values.insert(net);
    }
    EXPECT_GE(net_values.size(), 2u);
}

TEST(SimStream, NightProductionStaysSlightlyNegative) {
    auto events = stream_events("7.6.185_with_cts_and_battery_3t", 3);  // production -0.661 W
    ASSERT_EQ(events.size(), 3u);
    for (const auto& e : events) {
        EXPECT_LT(e["production"]["ph-a"]["p"].get<double>(), 0.0);
        EXPECT_GT(e["production"]["ph-a"]["p"].get<double>(), -1.0);
        EXPECT_GT(e["net-consumption"]["ph-a"]["p"].get<double>(), 400.0);
    }
}

TEST(SimStream, OnlyTheEnabledMetersAppear) {
    auto events = stream_events("7.3.130_no_consumption", 2);  // net-consumption CT disabled
    ASSERT_EQ(events.size(), 2u);
    EXPECT_TRUE(events[0].contains("production"));
    EXPECT_FALSE(events[0].contains("net-consumption"));
    EXPECT_FALSE(events[0].contains("total-consumption"));
    EXPECT_GT(events[0]["production"]["ph-b"]["p"].get<double>(), 1500.0);  // split phase
}

TEST(SimStream, NoEnabledMetersMeans404) {
    auto sim = launch_simulator({"--capture", capture("7.6.114_without_cts")});
    ASSERT_TRUE(sim.ready());
    auto r = get(sim.url + "/stream/meter", {installer_token("7.6.114_without_cts")});
    EXPECT_EQ(r.status, 404);
}

TEST(SimStream, SeveralClientsAtOnce) {
    auto sim = launch_simulator({"--capture", capture("7.6.175_with_cts_3phase"), "--stream-interval-ms", "50"});
    ASSERT_TRUE(sim.ready());
    std::string token = installer_token("7.6.175_with_cts_3phase");
    std::vector<StreamResult> results(4);
    std::vector<std::thread> threads;
    for (auto& r : results) {
        threads.emplace_back([&r, &sim, &token] { r = read_stream(sim.url + "/stream/meter", {token}, 3, 10s); });
    }
    for (auto& t : threads) t.join();
    for (const auto& r : results) {
        EXPECT_EQ(r.status, 200);
        EXPECT_EQ(r.events.size(), 3u);
    }
}

TEST(SimStream, LogSamplesPrintsOneLinePerEvent) {
    auto sim = launch_simulator({"--capture", capture("4.10.35"), "--stream-interval-ms", "30", "--log-samples"});
    ASSERT_TRUE(sim.ready());
    auto r = read_stream(sim.url + "/stream/meter",
                         {"", "", "installer", envoy::parse::installer_password("121938119871")}, 3, 5s);
    ASSERT_EQ(r.events.size(), 3u);
    auto third = nlohmann::json::parse(r.events[2]);
    double sum = 0;
    for (const char* ph : kPhases) sum += third["production"][ph]["p"].get<double>();
    auto p = sim.process->wait_for_match(R"(sample 3 t_ns=\d+ p=(-?[0-9.]+))", 5s);
    ASSERT_TRUE(p.has_value()) << sim.process->output();
    EXPECT_NEAR(std::stod(*p), sum, 0.01);
    auto t1 = sim.process->wait_for_match(R"(sample 1 t_ns=(\d+))", 1s);
    auto t2 = sim.process->wait_for_match(R"(sample 2 t_ns=(\d+))", 1s);
    ASSERT_TRUE(t1 && t2);
    EXPECT_GT(std::stoll(*t2), std::stoll(*t1));
}
