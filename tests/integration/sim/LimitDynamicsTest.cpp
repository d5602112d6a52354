// tests/integration/sim: production follows the applied limit: the linear move over the settle
// time and the slew rate (timed against hand-computed bounds), the stream, meter readings,
// energy counters and production answers at the limit, the export limit, the old firmware's
// inverted export_limit, and forced off.
#include "LimitHarness.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>

using namespace simtest;
using testsupport::send;

namespace {

constexpr double kLimitW = 300;
// Natural production bounds: any sample, and the noise-free value a new limit starts from.
constexpr double kLow = kProductionW * (1 - kSwing), kHigh = kProductionW * (1 + kSwing);
constexpr double kFromLow = kProductionW * (1 - kNoiseFreeSwing), kFromHigh = kProductionW * (1 + kNoiseFreeSwing);
// Consumption = production + net, each swinging on its own.
constexpr double kConsumptionLow = (kProductionW + kNetW) * (1 - kSwing);
constexpr double kConsumptionHigh = (kProductionW + kNetW) * (1 + kSwing);

double stream_production(const nlohmann::json& event) {
    double sum = 0;
    for (const char* ph : {"ph-a", "ph-b", "ph-c"}) sum += event["production"][ph]["p"].get<double>();
    return sum;
}

double stream_net(const nlohmann::json& event) {
    double sum = 0;
    for (const char* ph : {"ph-a", "ph-b", "ph-c"}) sum += event["net-consumption"][ph]["p"].get<double>();
    return sum;
}

// A copy of a capture folder with an ivp_ss_dpel file added (a gateway that had a limit set).
std::string capture_with_dpel(const testsupport::TempDir& dir, const std::string& folder, const std::string& dpel) {
    const std::string copy = dir.file(folder);
    std::filesystem::copy(capture(folder), copy);
    testsupport::write_file(copy + "/ivp_ss_dpel", dpel);
    return copy;
}

}  // namespace

TEST(SimLimitDynamics, ProductionMovesLinearlyToTheLimitAndBack) {
    auto sim = launch_simulator(
        {"--capture", capture(kLimitFolder), "--limit-settle-s", "2", "--stream-interval-ms", "100"});
    ASSERT_TRUE(sim.ready());
    const Auth installer{token_for(kLimitFolder, "installer")};

    auto written = send("POST", sim.url + kDpel, dpel_document(true, false, "300", "0"), installer);
    ASSERT_EQ(written.status, 200);
    const auto t0 = SteadyClock::now();
    // The gateway applied the change during the POST: up to its duration before t0.
    const double lag = written.seconds;
    std::vector<TimedReading> seen;
    ASSERT_TRUE(poll_meters(sim.url, installer, t0, [](const TimedReading& r) { return r.production <= kLimitW + 0.5; },
                            4s, &seen));
    // The cap falls linearly from the production at the change (kFromLow..kFromHigh) to 300 W in 2 s.
    EXPECT_GE(seen.back().after + lag, 2.0 * (kFromLow - kLimitW - 0.5) / (kFromLow - kLimitW));
    EXPECT_LE(seen.back().before, 2.0 + 0.6);
    std::size_t mid = 0;
    for (const auto& r : seen) {
        if (r.after + lag >= 2.0) break;
        const double cap_high = kFromHigh - (kFromHigh - kLimitW) * r.before / 2.0;
        const double cap_low = kFromLow - (kFromLow - kLimitW) * (r.after + lag) / 2.0;
        EXPECT_LE(r.production, cap_high + 0.5) << "at " << r.before << " s";
        EXPECT_GE(r.production, std::min(kLow, cap_low) - 0.5) << "at " << r.after << " s";
        if (r.before > 0.3 && r.after < 1.5) ++mid;
    }
    EXPECT_GE(mid, 3u) << "too few readings during the move";

    // At the limit: stream, readings (net = consumption - 300) and the production answers.
    auto stream = read_stream(sim.url + "/stream/meter", installer, 12, 10s);
    ASSERT_EQ(stream.events.size(), 12u);
    for (const auto& text : stream.events) {
        const auto event = nlohmann::json::parse(text);
        EXPECT_NEAR(stream_production(event), kLimitW, 0.01);
        EXPECT_GT(stream_net(event), kConsumptionLow - kLimitW);
        EXPECT_LT(stream_net(event), kConsumptionHigh - kLimitW);
        EXPECT_NEAR(event["total-consumption"]["ph-a"]["p"].get<double>(),
                    event["production"]["ph-a"]["p"].get<double>() + event["net-consumption"]["ph-a"]["p"].get<double>(),
                    0.01);
    }
    const auto at_limit = read_meters(sim.url, installer, t0);
    EXPECT_NEAR(at_limit.production, kLimitW, 0.01);
    EXPECT_GT(at_limit.net, kConsumptionLow - kLimitW);
    EXPECT_LT(at_limit.net, kConsumptionHigh - kLimitW);
    EXPECT_EQ(nlohmann::json::parse(get(sim.url + "/api/v1/production", installer).body)["wattsNow"], 300);
    auto production_json = nlohmann::json::parse(get(sim.url + "/production.json?details=1", installer).body);
    EXPECT_EQ(production_json["production"][1]["wNow"].get<double>(), kLimitW);
    // production.json?details=1 (production.json_details_1): its net CT, captured 279.186 W, gains
    // what production lost (734.83 - 300 W), on the total and on the one line; total consumption stays.
    const auto& net_ct = production_json["consumption"][1];
    EXPECT_NEAR(net_ct["wNow"].get<double>(), 279.186 + 734.83 - kLimitW, 0.001);
    EXPECT_NEAR(net_ct["lines"][0]["wNow"].get<double>(), 279.186 + 734.83 - kLimitW, 0.001);
    EXPECT_EQ(production_json["production"][1]["lines"][0]["wNow"].get<double>(), kLimitW);
    EXPECT_EQ(production_json["consumption"][0]["wNow"].get<double>(), 1014.016);
    int inverters_sum = 0;
    for (const auto& inverter : nlohmann::json::parse(get(sim.url + "/api/v1/production/inverters", installer).body)) {
        inverters_sum += inverter["lastReportWatts"].get<int>();
    }
    EXPECT_LE(inverters_sum, 300);
    EXPECT_GE(inverters_sum, 300 - 15);  // 15 inverters, each rounded down

    // The production counter grows at 300 W while the limit holds.
    auto energy = [&] {
        return nlohmann::json::parse(get(sim.url + "/ivp/meters/readings", installer).body)[0]["actEnergyDlvd"].get<double>();
    };
    const double a_before = seconds_since(t0);
    const double e1 = energy();
    const double a_after = seconds_since(t0);
    ASSERT_EQ(read_stream(sim.url + "/stream/meter", installer, 10, 10s).events.size(), 10u);
    const double b_before = seconds_since(t0);
    const double e2 = energy();
    const double b_after = seconds_since(t0);
    EXPECT_GE(e2 - e1, kLimitW * (b_before - a_after) / 3600.0 - 0.002);
    EXPECT_LE(e2 - e1, kLimitW * (b_after - a_before) / 3600.0 + 0.002);

    // enable:false: the cap rises linearly from 300 W to the natural production in 2 s.
    auto removed = send("POST", sim.url + kDpel, dpel_document(false, false, "300", "0"), installer);
    ASSERT_EQ(removed.status, 200);
    const auto t1 = SteadyClock::now();
    seen.clear();
    ASSERT_TRUE(poll_meters(sim.url, installer, t1, [](const TimedReading& r) { return r.production > 700; }, 4s, &seen));
    EXPECT_GE(seen.back().after + removed.seconds, 2.0 * (700 - kLimitW) / (kHigh - kLimitW));
    EXPECT_LE(seen.back().before, 2.0 + 0.6);
    ASSERT_TRUE(testsupport::wait_until(
        [&] { return get(sim.url + "/api/v1/production", installer).body ==
                     testsupport::read_file(capture(kLimitFolder + "/api_v1_production")); },
        3s));
}

TEST(SimLimitDynamics, SlewRateOfTheRequestThenOfTheCommandLine) {
    auto sim = launch_simulator({"--capture", capture(kLimitFolder), "--limit-slew", "100", "--limit-settle-s", "60"});
    ASSERT_TRUE(sim.ready());
    const Auth installer{token_for(kLimitFolder, "installer")};

    auto first = send("POST", sim.url + kDpel, dpel_document(true, false, "300", "250"), installer);
    ASSERT_EQ(first.status, 200);
    const auto t0 = SteadyClock::now();
    std::vector<TimedReading> seen;
    ASSERT_TRUE(poll_meters(sim.url, installer, t0, [](const TimedReading& r) { return r.production <= kLimitW + 0.5; },
                            5s, &seen));
    // 250 W/s from kFromLow..kFromHigh down to 300 W.
    EXPECT_GE(seen.back().after + first.seconds, (kFromLow - kLimitW - 0.5) / 250.0);
    EXPECT_LE(seen.back().before, (kFromHigh - kLimitW) / 250.0 + 0.6);

    // slew_rate 0: the command line's 100 W/s, from 300 W down to 200 W in 1 s.
    auto second = send("POST", sim.url + kDpel, dpel_document(true, false, "200", "0"), installer);
    ASSERT_EQ(second.status, 200);
    const auto t1 = SteadyClock::now();
    seen.clear();
    ASSERT_TRUE(poll_meters(sim.url, installer, t1, [](const TimedReading& r) { return r.production <= 200.5; }, 4s,
                            &seen));
    EXPECT_GE(seen.back().after + second.seconds, 99.5 / 100.0);
    EXPECT_LE(seen.back().before, 1.0 + 0.6);
}

TEST(SimLimitDynamics, ExportLimitHoldsTheNetCtAtTheValue) {
    // 7.6.175, three phases: production 488.925 + 0 - 1.044 W, net -36.162 - 0 - 0.451 W: it
    // exports about 37 W; its capture gets a DPEL file with an export limit of 0 W.
    const std::string folder = "7.6.175_with_cts_3phase";
    testsupport::TempDir dir;
    const std::string dpel = dpel_document(true, true, "0.0", "0.0");
    const std::string limited = capture_with_dpel(dir, folder, dpel);
    const double consumption = 488.925 - 1.044 - 36.162 - 0.451;
    auto sim = launch_simulator({"--capture", limited, "--stream-interval-ms", "50"});
    ASSERT_TRUE(sim.ready());
    const Auth installer{token_for(folder, "installer")};
    EXPECT_EQ(get(sim.url + kDpel, installer).body, dpel);  // a firmware 7 capture holding ivp_ss_dpel

    auto stream = read_stream(sim.url + "/stream/meter", installer, 5, 10s);
    ASSERT_EQ(stream.events.size(), 5u);
    for (const auto& text : stream.events) {
        const auto event = nlohmann::json::parse(text);
        EXPECT_NEAR(stream_net(event), 0.0, 0.05);  // nothing exported (rounding of 3 phases)
        EXPECT_GT(stream_production(event), consumption * (1 - kSwing) - 3.0);
        EXPECT_LT(stream_production(event), consumption * (1 + kSwing) + 3.0);
    }

    // The same gateway before D8.3.5232: export_limit true limits production, to 0 W here.
    auto old = launch_simulator({"--capture", limited, "--stream-interval-ms", "50", "--old-dpel-firmware"});
    ASSERT_TRUE(old.ready());
    const auto event = nlohmann::json::parse(read_stream(old.url + "/stream/meter", installer, 1, 10s).events.at(0));
    EXPECT_NEAR(stream_production(event), 0.0, 0.005);
    EXPECT_GT(stream_net(event), consumption * (1 - kSwing) - 3.0);
}

TEST(SimLimitDynamics, ForcedOffMeansNoProductionAtOnce) {
    auto sim = launch_simulator({"--capture", capture(kLimitFolder), "--stream-interval-ms", "50"});
    ASSERT_TRUE(sim.ready());
    const Auth installer{token_for(kLimitFolder, "installer")};
    EXPECT_EQ(send("PUT", sim.url + kPowerMode, R"({"length":1,"arr":[2]})", installer).status, 400);

    auto off = send("PUT", sim.url + kPowerMode, R"({"length":1,"arr":[1]})", installer);
    EXPECT_EQ(off.status, 200);
    EXPECT_EQ(get(sim.url + kPowerMode, installer).body, R"({"powerForcedOff":true})");
    const auto meters = read_meters(sim.url, installer, SteadyClock::now());
    EXPECT_EQ(meters.production, 0.0);
    EXPECT_GT(meters.net, kConsumptionLow);  // the whole consumption comes from the grid
    const auto event = nlohmann::json::parse(read_stream(sim.url + "/stream/meter", installer, 1, 10s).events.at(0));
    EXPECT_EQ(stream_production(event), 0.0);
    EXPECT_EQ(nlohmann::json::parse(get(sim.url + "/api/v1/production", installer).body)["wattsNow"], 0);
    for (const auto& inverter : nlohmann::json::parse(get(sim.url + "/api/v1/production/inverters", installer).body)) {
        EXPECT_EQ(inverter["lastReportWatts"], 0);
    }

    EXPECT_EQ(send("PUT", sim.url + kPowerMode, R"({"length":1,"arr":[0]})", installer).status, 200);
    EXPECT_GT(read_meters(sim.url, installer, SteadyClock::now()).production, kLow);
}
