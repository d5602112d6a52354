// Integration: the daemon's battery (issue 15) against the simulator, whose modelled battery
// drives the ensemble endpoints and the storage CT together: the battery service appears only
// when [BATTERY] enabled = 1 and the gateway has batteries, follows the storage CT, and is left
// disconnected with every value invalid when the gateway stops answering; the battery topic
// carries the same figures.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <csignal>

#include "Broker.hpp"
#include "DaemonOnBus.hpp"
#include "Harness.hpp"
#include "Subscriber.hpp"

using namespace testsupport;

namespace {

constexpr const char* kBattery = "com.victronenergy.battery.enphase_envoy";
constexpr const char* kBatteryTopic = "enphase/envoy-s/battery";
// 8.2.4286: five IQ Batteries, a storage CT at -7083.656 W (charging: the gateway counts
// charging negative), actEnergyRcvd 5409935.465 Wh, actEnergyDlvd 4073871.031 Wh, secctrl
// agg_soc 46 % of Max_energy 25000 Wh.
constexpr const char* kWithBatteries = "8.2.4286_with_3cts_and_battery_split";
constexpr const char* kWithout = "7.6.175_adapted_3phase";  // ensemble endpoints answer, empty

double number(const dbustest::Typed& typed) { return typed.value.is_number() ? typed.value.get<double>() : -1e9; }

class BatteryDaemon : public dbustest::DaemonOnBus {
protected:
    std::unique_ptr<mqtttest::Broker> broker;

    void start(const std::string& capture, bool battery_enabled, bool with_mqtt) {
        sim = start_simulator(capture, {"--verbose"});  // one line per request, on its output
        std::string extra = "[BATTERY]\nenabled = " + std::string(battery_enabled ? "1" : "0") + "\n";
        if (with_mqtt) {
            broker = std::make_unique<mqtttest::Broker>();
            extra += "\n[MQTT]\nenabled = 1\nbroker_address = 127.0.0.1\nbroker_port = " + std::to_string(broker->port()) +
                     "\npublish_interval = 1\n";
        }
        config = write_config(dir, sim.address(), "token = " + make_token(capture, "owner") + "\n", extra);
        start_daemon();
    }
};

}  // namespace

TEST_F(BatteryDaemon, FollowsTheStorageCtAndIsInvalidWhenTheGatewayStops) {
    start(kWithBatteries, true, false);
    ASSERT_TRUE(connected_is(kBattery, 1, 30s)) << daemon->output();
    // Venus counts charging positive: the storage CT's -7083.656 W is +7083.656 W.
    EXPECT_NEAR(number(client->get_value(kBattery, "/Dc/0/Power")), 7083.656, 0.01);
    EXPECT_NEAR(number(client->get_value(kBattery, "/Soc")), 46.0, 1.0);
    EXPECT_EQ(client->get_value(kBattery, "/System/NrOfBatteries").value, 5);
    EXPECT_NEAR(number(client->get_value(kBattery, "/Enphase/Capacity")), 25000.0, 1e-6);
    // Nothing DVCC or the BMS selection would act on.
    EXPECT_FALSE(client->call_error(kBattery, "/Info/MaxChargeVoltage", "GetValue").empty());
    EXPECT_FALSE(client->call_error(kBattery, "/Info/MaxChargeCurrent", "GetValue").empty());
    // The charged counter is the storage CT's own and advances while it charges: 7083.656 W is
    // 0.00197 kWh a second.
    const double charged = number(client->get_value(kBattery, "/History/ChargedEnergy"));
    EXPECT_GE(charged, 5409.935);
    EXPECT_LT(charged, 5409.935 + 1.0);
    EXPECT_NEAR(number(client->get_value(kBattery, "/History/DischargedEnergy")), 4073.871031, 1e-4);
    EXPECT_TRUE(wait_until([&] { return number(client->get_value(kBattery, "/History/ChargedEnergy")) > charged + 0.004; }, 20s))
        << daemon->output();

    sim.process->signal(SIGKILL);
    sim.process->wait_exit(5s);
    ASSERT_TRUE(connected_is(kBattery, 0, 20s)) << daemon->output();
    for (const char* path : {"/Soc", "/Dc/0/Power", "/History/ChargedEnergy", "/System/NrOfBatteries"}) {
        auto value = client->get_value(kBattery, path);
        EXPECT_EQ(value.type, "ai") << path;
        EXPECT_TRUE(value.value.empty()) << path;
    }
    EXPECT_TRUE(daemon->running());
    stop_daemon();
}

TEST_F(BatteryDaemon, TopicWithoutTheServiceWhenNotEnabled) {
    start(kWithBatteries, false, true);
    mqtttest::Subscriber subscriber(broker->port());
    nlohmann::json payload;
    ASSERT_TRUE(wait_until([&] {
        payload = nlohmann::json::parse(subscriber.last(kBatteryTopic), nullptr, false);
        return payload.is_object();
    }, 30s)) << daemon->output();
    EXPECT_NEAR(payload.value("power", 0.0), 7083.656, 0.01);
    EXPECT_EQ(payload.value("count", 0), 5);
    EXPECT_NEAR(payload.value("capacity", 0.0), 25000.0, 1e-6);
    ASSERT_TRUE(payload["batteries"].is_array());
    EXPECT_EQ(payload["batteries"].size(), 5u);
    ASSERT_TRUE(connected_is(kPv, 1)) << daemon->output();
    EXPECT_FALSE(client->call_error(kBattery, "/Soc", "GetValue").empty()) << "battery service without [BATTERY] enabled";
    stop_daemon();
}

TEST_F(BatteryDaemon, NoServiceOnAGatewayWithoutBatteries) {
    start(kWithout, true, false);
    ASSERT_TRUE(wait_until([&] { return daemon->output().find("batteries: the gateway reports none") != std::string::npos; }, 30s))
        << daemon->output();
    ASSERT_TRUE(connected_is(kPv, 1)) << daemon->output();
    EXPECT_FALSE(client->call_error(kBattery, "/Soc", "GetValue").empty()) << "battery service on a gateway without batteries";
    // The inventory lists no IQ Battery and production.json no AC Battery: power and secctrl are
    // not asked.
    const std::string requests = sim.process->output();
    EXPECT_EQ(count_of(requests, "GET /ivp/ensemble/inventory "), 1u) << requests;
    EXPECT_EQ(count_of(requests, "GET /ivp/ensemble/power "), 0u) << requests;
    EXPECT_EQ(count_of(requests, "GET /ivp/ensemble/secctrl "), 0u) << requests;
    stop_daemon();
}
