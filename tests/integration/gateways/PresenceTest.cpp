// Integration: the PV inverter is on D-Bus from boot when the gateway's serial is known (the
// one it last gave, or [ENVOY] serial), before the gateway answers, and follows a gateway that
// answers with another serial (docs/dbus.md, "Names and presence"). The gateway address is a
// loopback port where nothing listens until the test starts the simulator there.
#include <gtest/gtest.h>

#include <chrono>
#include <csignal>
#include <filesystem>

#include "Broker.hpp"
#include "BusClient.hpp"
#include "DaemonOnBus.hpp"
#include "Harness.hpp"

using namespace testsupport;

namespace {

// Token firmware, read through /ivp/meters/readings with an owner token; with --static the
// production meter's activePower in its ivp_meters_readings is what the gateway measures.
constexpr const char* kCapture = "8.2.4345_with_device_data";
constexpr const char* kSerial = "122446001637";
constexpr double kPowerW = 807.326;
// Two pre-7 gateways (HTTP, installer password derived from the serial): a replaced gateway.
constexpr const char* kOldGateway = "4.10.35";
constexpr const char* kOldSerial = "121938119871";
constexpr const char* kNewGateway = "5.0.62";
constexpr const char* kNewSerial = "121621012167";
constexpr const char* kSettings = "com.victronenergy.settings";

// Venus OS shows a device at once when its name appears; "at once" here is within a second of
// the process start, whatever the gateway does.
constexpr auto kPresentWithin = std::chrono::seconds(1);

std::string instance_setting(const std::string& serial) { return "/Settings/Devices/enphase_envoy_" + serial + "/ClassAndVrmInstance"; }

class Presence : public dbustest::DaemonOnBus {
protected:
    int port = mqtttest::free_port();
    std::unique_ptr<Process> settings;

    std::string address() const { return "127.0.0.1:" + std::to_string(port); }

    void start_settings_service() {
        settings = std::make_unique<Process>(std::vector<std::string>{fake_settings_program()}, bus.environment());
        ASSERT_TRUE(settings->wait_for_output("ready")) << settings->output();
    }

    // Starts the daemon and returns how long its PV inverter took to appear on the bus under name.
    std::chrono::milliseconds start_and_time(const std::string& name, const std::vector<std::string>& args = {}) {
        const auto started = std::chrono::steady_clock::now();
        start_daemon(args);
        const bool present = wait_until([&] { return value_of(name, "/Serial").has_value(); }, 5s);
        const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
        EXPECT_TRUE(present) << daemon->output();
        return took;
    }

    // What a PV inverter shows before its gateway answered: the serial, nothing measured.
    void expect_waiting(const std::string& name, const std::string& serial) {
        EXPECT_EQ(client->get_value(name, "/Serial").value, serial);
        EXPECT_EQ(client->get_value(name, "/Connected").value, 0);
        const auto power = client->get_value(name, "/Ac/Power");
        EXPECT_EQ(power.type, "ai");
        EXPECT_TRUE(power.value.empty());
        EXPECT_EQ(client->get_value(name, "/StatusCode").value, 10);
        EXPECT_EQ(client->get_value(name, "/FirmwareVersion").type, "ai");
        EXPECT_EQ(client->get_value(name, "/Mgmt/Connection").value, address() + " (waiting for the gateway)");
    }

    std::string stored_serial() {
        const std::string path = dir.file("gateway-serial");
        return std::filesystem::exists(path) ? read_file(path) : std::string();
    }

    bool serial_and_connected(const std::string& name, const std::string& serial, std::chrono::milliseconds timeout) {
        return wait_until([&] {
            const auto shown = value_of(name, "/Serial");
            const auto connected = value_of(name, "/Connected");
            return shown && shown->value == serial && connected && connected->value == 1;
        }, timeout);
    }
};

TEST_F(Presence, TheLastSerialPutsThePvInverterOnTheBusBeforeTheGatewayAnswers) {
    write_file(dir.file("gateway-serial"), std::string(kSerial) + "\n");
    config = write_config(dir, address(), "token = " + make_token(kCapture, "owner") + "\n");
    EXPECT_LT(start_and_time(kPv), kPresentWithin);
    expect_waiting(kPv, kSerial);
    EXPECT_NE(daemon->output().find("gateway serial " + std::string(kSerial) + " (the last one the gateway gave)"), std::string::npos)
        << daemon->output();

    sim = start_simulator(kCapture, {"--static"}, port);
    ASSERT_TRUE(connected_is(kPv, 1, 45s)) << daemon->output();
    EXPECT_NEAR(client->get_value(kPv, "/Ac/Power").value.get<double>(), kPowerW, 1e-3);
    EXPECT_EQ(client->get_value(kPv, "/FirmwareVersion").value, "D8.2.4345");
    EXPECT_EQ(client->get_value(kPv, "/Serial").value, kSerial);
    EXPECT_NE(client->get_value(kPv, "/Mgmt/Connection").value.get<std::string>().find("(readings)"), std::string::npos);
    // The service that was there is the one that shows the values: registered once.
    EXPECT_EQ(count_of(daemon->output(), "D-Bus: registered "), 1u) << daemon->output();
    EXPECT_EQ(stored_serial(), std::string(kSerial) + "\n");
    stop_daemon();
}

// A configured serial wins over the stored one; when the gateway says otherwise, the devices
// are registered again under its serial: the same name without --service-suffix, another
// /Serial and another settings unique id, which the settings service gives the next instance.
TEST_F(Presence, AConfiguredSerialThatIsNotTheGatewaysIsReplacedByItsSerial) {
    start_settings_service();
    const std::string wrong = "122000000001";
    write_file(dir.file("gateway-serial"), "121000000009\n");
    config = write_config(dir, address(), "serial = " + wrong + "\ntoken = " + make_token(kCapture, "owner") + "\n");
    EXPECT_LT(start_and_time(kPv), kPresentWithin);
    expect_waiting(kPv, wrong);
    EXPECT_EQ(client->get_value(kSettings, instance_setting(wrong)).value, "pvinverter:61");

    sim = start_simulator(kCapture, {"--static"}, port);
    ASSERT_TRUE(serial_and_connected(kPv, kSerial, 45s)) << daemon->output();
    EXPECT_EQ(count_of(daemon->output(), "WARNING: the gateway answers with serial " + std::string(kSerial) +
                                             ", the devices on D-Bus have " + wrong),
              1u)
        << daemon->output();
    EXPECT_EQ(client->get_value(kSettings, instance_setting(kSerial)).value, "pvinverter:62");
    EXPECT_EQ(client->get_value(kPv, "/DeviceInstance").value, 62);
    EXPECT_TRUE(wait_until([&] {
        const auto power = value_of(kPv, "/Ac/Power");
        return power && power->type == "d";
    }, 10s));
    EXPECT_NEAR(client->get_value(kPv, "/Ac/Power").value.get<double>(), kPowerW, 1e-3);
    EXPECT_EQ(stored_serial(), std::string(kSerial) + "\n");
    stop_daemon();
}

TEST_F(Presence, WithoutAKnownSerialThePvInverterComesWithTheGatewaysAnswer) {
    config = write_config(dir, address(), "token = " + make_token(kCapture, "owner") + "\n");
    start_daemon();
    ASSERT_TRUE(daemon->wait_for_output("INFO: no gateway serial known yet")) << daemon->output();
    EXPECT_FALSE(value_of(kPv, "/Serial").has_value());
    EXPECT_EQ(stored_serial(), "");

    sim = start_simulator(kCapture, {"--static"}, port);
    ASSERT_TRUE(connected_is(kPv, 1, 45s)) << daemon->output();
    EXPECT_EQ(client->get_value(kPv, "/Serial").value, kSerial);
    EXPECT_EQ(stored_serial(), std::string(kSerial) + "\n");
    stop_daemon();
}

// A replaced gateway at the same address, with --service-suffix serial: the old name goes, the
// new serial's name comes, with its own settings and the next free instance.
TEST_F(Presence, AReplacedGatewayMovesTheDevicesToItsSerialsName) {
    start_settings_service();
    const std::string old_name = std::string(kPv) + "_" + kOldSerial;
    const std::string new_name = std::string(kPv) + "_" + kNewSerial;
    sim = start_simulator(kOldGateway, {"--static"}, port);
    config = write_config(dir, address());
    start_daemon({"--service-suffix", "serial"});
    ASSERT_TRUE(connected_is(old_name, 1)) << daemon->output();
    EXPECT_EQ(client->get_value(old_name, "/DeviceInstance").value, 61);

    // The old gateway goes; the new one answers once the daemon probes the address again.
    const std::size_t retries = count_of(daemon->output(), "; retrying in ");
    sim.process->signal(SIGKILL);
    sim.process->wait_exit(5s);
    ASSERT_TRUE(wait_until([&] { return count_of(daemon->output(), "; retrying in ") > retries; }, 30s)) << daemon->output();
    sim = start_simulator(kNewGateway, {"--static"}, port);

    ASSERT_TRUE(serial_and_connected(new_name, kNewSerial, 45s)) << daemon->output();
    EXPECT_FALSE(value_of(old_name, "/Serial").has_value());
    EXPECT_EQ(client->get_value(new_name, "/DeviceInstance").value, 62);
    EXPECT_EQ(client->get_value(kSettings, instance_setting(kOldSerial)).value, "pvinverter:61");
    EXPECT_EQ(client->get_value(kSettings, instance_setting(kNewSerial)).value, "pvinverter:62");
    EXPECT_EQ(count_of(daemon->output(), "WARNING: the gateway answers with serial "), 1u) << daemon->output();
    EXPECT_EQ(stored_serial(), std::string(kNewSerial) + "\n");
    stop_daemon();
}

}  // namespace
