// Integration: power limiting as ESS uses it. A hub4control-like client writes /Ac/PowerLimit
// every 2 s; the daemon writes the gateway's DPEL setting (envoy-sim with a 2 s settling time
// and its request log); production on D-Bus follows. Expected values come from the rules of
// docs/power-limiting.md and the capture's own figures: 8.2.4286_with_3cts_and_battery_split
// produces 7131 W (its production CT), the config says [PV] max = 8000, so a 3000 W limit is
// well inside the roof and the step is 2 % of 8000 = 160 W.
#include <gtest/gtest.h>

#include <atomic>
#include <fstream>
#include <thread>

#include <nlohmann/json.hpp>

#include "DaemonOnBus.hpp"
#include "Harness.hpp"

using namespace testsupport;

namespace {

constexpr const char* kCapture = "8.2.4286_with_3cts_and_battery_split";
constexpr const char* kLimitConfig =
    "[PV]\nmax = 8000\npower_limiting = 1\npower_limit_interval = 5\npower_limit_restore = 10\n";
constexpr int kOff = 1, kActive = 3, kRefused = 4, kNotSupported = 0;

// The DPEL writes in envoy-sim's request log (one JSON object a line).
std::vector<nlohmann::json> dpel_posts(const std::string& log) {
    std::vector<nlohmann::json> posts;
    std::ifstream in(log);
    std::string line;
    while (std::getline(in, line)) {
        auto entry = nlohmann::json::parse(line, nullptr, false);
        if (entry.is_object() && entry.value("method", "") == "POST" && entry.value("path", "") == "/ivp/ss/dpel") {
            posts.push_back(entry);
        }
    }
    return posts;
}

class PowerLimit : public dbustest::DaemonOnBus {
protected:
    std::string requests;

    void start(const std::string& user, const std::vector<std::string>& sim_args = {}) {
        requests = dir.file("limit-requests.jsonl");
        // Firmware 8.2 has DPEL's export flag the wrong way round (before D8.3.5232): so does the
        // simulator here, and the driver must send it inverted for a production limit.
        std::vector<std::string> args = {"--limit-settle-s", "2", "--old-dpel-firmware", "--log-limit-requests", requests};
        args.insert(args.end(), sim_args.begin(), sim_args.end());
        sim = start_simulator(kCapture, args);
        config = write_config(dir, sim.address(), "token = " + make_token(kCapture, user) + "\n", kLimitConfig);
        start_daemon();
    }

    std::optional<double> number(const std::string& path) {
        auto value = value_of(kPv, path);
        if (!value || !value->value.is_number()) return std::nullopt;
        return value->value.get<double>();
    }
    bool state_is(int state, std::chrono::milliseconds timeout) {
        return wait_until([&] { return number("/Enphase/PowerLimit/State") == state; }, timeout);
    }
};

// Writes /Ac/PowerLimit every 2 s from its own thread, as hub4control does while it limits.
class Controller {
public:
    Controller(const std::string& bus_address, double watts) : client_(bus_address), watts_(watts) {
        thread_ = std::thread([this] {
            while (!stop_) {
                results_.push_back(client_.set_value(kPv, "/Ac/PowerLimit", static_cast<int>(watts_)));
                for (int i = 0; i < 20 && !stop_; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(100));
            }
        });
    }
    ~Controller() { stop(); }
    // Stops writing; returns the results of every SetValue.
    std::vector<int> stop() {
        stop_ = true;
        if (thread_.joinable()) thread_.join();
        return results_;
    }

private:
    dbustest::BusClient client_;
    double watts_;
    std::atomic<bool> stop_{false};
    std::vector<int> results_;
    std::thread thread_;
};

}  // namespace

TEST_F(PowerLimit, EssLimitsProductionWithOneWriteAndFullPowerReturnsWhenItStops) {
    start("installer");
    ASSERT_TRUE(connected_is(kPv, 1)) << daemon->output();
    ASSERT_TRUE(state_is(kOff, 20s)) << daemon->output();
    EXPECT_EQ(number("/Ac/PowerLimit"), 8000.0);  // at rest: /Ac/MaxPower
    EXPECT_GT(number("/Ac/Power").value_or(0), 6000.0);

    Controller ess(bus.address(), 3000);
    // Written at once, confirmed by the read-back 5 s later; the gateway settles in 2 s.
    EXPECT_TRUE(state_is(kActive, 15s)) << daemon->output();
    EXPECT_EQ(number("/Ac/PowerLimit"), 3000.0);
    EXPECT_TRUE(wait_until([&] { return number("/Ac/Power").value_or(1e9) <= 3000.0 * 1.01; }, 10s))
        << number("/Ac/Power").value_or(-1);
    EXPECT_GE(number("/Ac/Power").value_or(0), 3000.0 * 0.95);
    // The same limit written by ESS every 2 s for 10 s more: no second write to the gateway.
    std::this_thread::sleep_for(10s);
    auto results = ess.stop();
    EXPECT_GE(results.size(), 5u);
    for (int result : results) EXPECT_EQ(result, 0);
    auto posts = dpel_posts(requests);
    ASSERT_EQ(posts.size(), 1u);
    auto body = nlohmann::json::parse(posts[0]["body"].get<std::string>());
    EXPECT_EQ(body["dynamic_pel_settings"]["enable"], true);
    EXPECT_EQ(body["dynamic_pel_settings"]["limit_value_W"], 3000.0);
    EXPECT_EQ(body["dynamic_pel_settings"]["export_limit"], true);  // production mode, sent inverted to 8.2

    // No write for power_limit_restore = 10 s: the limit is released, full production returns.
    EXPECT_TRUE(state_is(kOff, 30s)) << daemon->output();
    EXPECT_EQ(number("/Ac/PowerLimit"), 8000.0);
    EXPECT_TRUE(wait_until([&] { return number("/Ac/Power").value_or(0) > 6000.0; }, 10s));
    posts = dpel_posts(requests);
    ASSERT_EQ(posts.size(), 2u);
    EXPECT_EQ(nlohmann::json::parse(posts[1]["body"].get<std::string>())["dynamic_pel_settings"]["enable"], false);
    stop_daemon();
}

TEST_F(PowerLimit, AnOwnerTokenCannotLimit) {
    start("owner");
    ASSERT_TRUE(connected_is(kPv, 1)) << daemon->output();
    ASSERT_TRUE(wait_until([&] { return value_of(kPv, "/Enphase/PowerLimit/Reason").has_value(); }, 10s));
    EXPECT_EQ(number("/Enphase/PowerLimit/State"), kNotSupported);
    EXPECT_EQ(value_of(kPv, "/Ac/PowerLimit")->type, "ai");
    EXPECT_EQ(client->set_value(kPv, "/Ac/PowerLimit", 3000), 2);
    EXPECT_NE(value_of(kPv, "/Enphase/PowerLimit/Reason")->value.get<std::string>().find("installer"), std::string::npos);
    EXPECT_TRUE(dpel_posts(requests).empty());
    stop_daemon();
}

TEST_F(PowerLimit, AGatewayThatRefusesIsShownAndNotHammered) {
    start("installer", {"--limit-refuse"});
    ASSERT_TRUE(connected_is(kPv, 1)) << daemon->output();
    ASSERT_TRUE(state_is(kOff, 20s)) << daemon->output();
    Controller ess(bus.address(), 2000);
    EXPECT_TRUE(state_is(kRefused, 10s)) << daemon->output();
    EXPECT_NE(value_of(kPv, "/Enphase/PowerLimit/Reason")->value.get<std::string>().find("503"), std::string::npos);
    const auto first = std::chrono::steady_clock::now();
    std::this_thread::sleep_for(12s);
    ess.stop();
    // One write, then one per power_limit_interval = 5 s: at most 1 + 12 / 5 in those 12 s.
    const auto posts = dpel_posts(requests).size();
    EXPECT_GE(posts, 2u);
    EXPECT_LE(posts, 1u + static_cast<std::size_t>((std::chrono::steady_clock::now() - first) / 5s) + 1u);
    EXPECT_EQ(number("/Ac/PowerLimit"), 8000.0);  // nothing applied
    EXPECT_TRUE(daemon->running());
    stop_daemon();
}
