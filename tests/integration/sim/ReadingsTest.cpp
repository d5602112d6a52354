// tests/integration/sim: /ivp/meters/readings follows the live model, with the capture's
// format, a current timestamp and energy counters that grow with the power's sign.
#include "SimHarness.hpp"

#include <gtest/gtest.h>

#include <ctime>

using namespace simtest;

TEST(SimReadings, EnergyCountersIncreaseWithPower) {
    const std::string folder = "7.6.175_with_cts_3phase";
    auto sim = launch_simulator({"--capture", capture(folder)});
    ASSERT_TRUE(sim.ready());
    int code = -1;
    const std::string token = run_sim({"--make-token", "owner", "--capture", capture(folder)}, &code);
    ASSERT_EQ(code, 0) << token;

    auto fetch = [&] { return nlohmann::json::parse(get(sim.url + "/ivp/meters/readings", {token}).body); };
    auto first = fetch();
    auto captured = nlohmann::json::parse(testsupport::read_file(capture(folder + "/ivp_meters_readings")));
    ASSERT_EQ(first.size(), captured.size());
    ASSERT_EQ(first[0]["eid"], captured[0]["eid"]);
    ASSERT_EQ(first[0]["channels"].size(), 3u);
    EXPECT_NEAR(first[0]["timestamp"].get<double>(), static_cast<double>(std::time(nullptr)), 5.0);
    EXPECT_GE(first[0]["actEnergyDlvd"].get<double>(), captured[0]["actEnergyDlvd"].get<double>());
    EXPECT_NEAR(first[0]["activePower"].get<double>(), 488.925, 488.925 * 0.15);
    EXPECT_LT(first[1]["activePower"].get<double>(), 0.0);  // net-consumption exports

    nlohmann::json later;
    ASSERT_TRUE(testsupport::wait_until(
        [&] {
            later = fetch();
            return later[0]["actEnergyDlvd"].get<double>() > first[0]["actEnergyDlvd"].get<double>() &&
                   later[1]["actEnergyRcvd"].get<double>() > first[1]["actEnergyRcvd"].get<double>();
        },
        5s));
    // Production (positive) adds to delivered only; the exporting grid meter adds to received only.
    EXPECT_EQ(later[0]["actEnergyRcvd"].get<double>(), first[0]["actEnergyRcvd"].get<double>());
    EXPECT_EQ(later[1]["actEnergyDlvd"].get<double>(), first[1]["actEnergyDlvd"].get<double>());
    EXPECT_GT(later[0]["channels"][0]["actEnergyDlvd"].get<double>(),
              first[0]["channels"][0]["actEnergyDlvd"].get<double>());
    // Consistent with power: about 489 W for the elapsed time (at most a few seconds here).
    double gained = later[0]["actEnergyDlvd"].get<double>() - captured[0]["actEnergyDlvd"].get<double>();
    EXPECT_LT(gained, 489.0 * 1.2 * 10.0 / 3600.0);
}
