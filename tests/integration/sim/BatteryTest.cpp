// tests/integration/sim: the modelled battery over real sockets. The storage CT of the readings
// and the IQ Batteries of /ivp/ensemble/power show one power, and the stored energy of
// /ivp/ensemble/secctrl and the storage CT's counters move with it by power * time.
#include "SimHarness.hpp"

#include <gtest/gtest.h>

using namespace simtest;

namespace {

using Clock = std::chrono::steady_clock;

const std::string kFolder = "8.2.4286_with_3cts_and_battery_split";
constexpr double kCapturedCt = -7083.656;  // W, the capture's storage CT: charging
constexpr double kCapacity = 25000.0;      // Wh, secctrl Enc_max_available_capacity

struct Reading {
    Clock::time_point before, after;  // the requests went out and came back in between
    double ct_power = 0;              // W, storage CT activePower
    double ct_dlvd = 0, ct_rcvd = 0;  // Wh, storage CT counters
    double batteries = 0;             // W, sum of real_power_mw / 1000
    double available = 0;             // Wh, ENC_agg_avail_energy
    double soc = 0;                   // %, ENC_agg_soc
    double site_soc = 0;              // %, agg_soc
};

class SimBattery : public ::testing::Test {
protected:
    void SetUp() override {
        ASSERT_TRUE(sim_.ready());
        int code = -1;
        token_ = run_sim({"--make-token", "owner", "--capture", capture(kFolder)}, &code);
        ASSERT_EQ(code, 0) << token_;
    }

    nlohmann::json fetch(const std::string& path) {
        const Response r = get(sim_.url + path, {token_});
        EXPECT_EQ(r.status, 200) << path;
        return nlohmann::json::parse(r.body);
    }

    Reading read() {
        Reading out;
        out.before = Clock::now();
        for (const auto& meter : fetch("/ivp/meters/readings")) {
            if (meter["eid"] != 704643840) continue;  // the storage CT
            out.ct_power = meter["activePower"].get<double>();
            out.ct_dlvd = meter["actEnergyDlvd"].get<double>();
            out.ct_rcvd = meter["actEnergyRcvd"].get<double>();
        }
        const auto power = fetch("/ivp/ensemble/power");
        for (const auto& battery : power["devices:"]) {
            out.batteries += battery["real_power_mw"].get<double>() / 1000.0;
        }
        const auto secctrl = fetch("/ivp/ensemble/secctrl");
        out.after = Clock::now();
        out.available = secctrl["ENC_agg_avail_energy"].get<double>();
        out.soc = secctrl["ENC_agg_soc"].get<double>();
        out.site_soc = secctrl["agg_soc"].get<double>();
        return out;
    }

    Simulator sim_ = launch_simulator({"--capture", capture(kFolder)});
    std::string token_;
};

double hours(Clock::duration d) { return std::chrono::duration<double>(d).count() / 3600.0; }

}  // namespace

TEST_F(SimBattery, StorageCtAndBatteriesShowOnePowerAndTheEnergyFollowsIt) {
    const Reading first = read();
    // One power: the capture's storage CT figure, held while the battery charges; the five
    // batteries' real_power_mw (rounded to 1 mW each) add up to it.
    EXPECT_NEAR(first.ct_power, kCapturedCt, 0.001);
    EXPECT_NEAR(first.batteries, first.ct_power, 0.01);
    EXPECT_EQ(first.soc, 46.0);       // 11600 Wh of 25000 at the start
    EXPECT_EQ(first.site_soc, 46.0);

    // At 7083.656 W charging the battery gains about 2 Wh a second: wait for 6 Wh (about 3 s).
    Reading later;
    ASSERT_TRUE(testsupport::wait_until(
        [&] {
            later = read();
            return later.available >= first.available + 6.0;
        },
        15s));
    EXPECT_NEAR(later.batteries, later.ct_power, 0.01);

    // Energy = power * time, within the request times and the whole-Wh rounding of secctrl.
    const double gained = later.available - first.available;
    const double least = -kCapturedCt * hours(later.before - first.after) - 1.0;
    const double most = -kCapturedCt * hours(later.after - first.before) + 1.0;
    EXPECT_GE(gained, least);
    EXPECT_LE(gained, most);
    // The storage CT counted the same energy as received (charged), none as delivered.
    EXPECT_NEAR(later.ct_rcvd - first.ct_rcvd, gained, 1.5);
    EXPECT_EQ(later.ct_dlvd, first.ct_dlvd);
    // SOC is the energy over the capacity: still 46 % after a few Wh of 25000.
    EXPECT_EQ(later.soc, std::round(later.available / kCapacity * 100.0));
}

TEST(SimBatteryStatic, StaticServesTheCapturedBatteryAnswers) {
    auto sim = launch_simulator({"--capture", capture(kFolder), "--static"});
    ASSERT_TRUE(sim.ready());
    int code = -1;
    const std::string token = run_sim({"--make-token", "owner", "--capture", capture(kFolder)}, &code);
    ASSERT_EQ(code, 0) << token;
    const auto served = nlohmann::json::parse(get(sim.url + "/ivp/ensemble/power", {token}).body);
    const auto captured = nlohmann::json::parse(testsupport::read_file(capture(kFolder + "/ivp_ensemble_power")));
    EXPECT_EQ(served, captured);
}
