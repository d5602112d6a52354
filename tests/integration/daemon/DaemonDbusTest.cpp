// Integration: the daemon as a Venus OS device. A private dbus-daemon, the simulator over
// real sockets, the daemon, and an independent raw-libdbus client (tests/support/dbus)
// checking what a GUI, systemcalc or the VRM logger would see.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <csignal>
#include <set>

#include "BusClient.hpp"
#include "DaemonOnBus.hpp"
#include "Harness.hpp"

using namespace testsupport;
using dbustest::BusClient;

namespace {

constexpr const char* k3Phase = "7.6.175_adapted_3phase";
constexpr const char* k1Phase = "8.2.4345_with_device_data";

std::set<std::string> pv_paths(int phases) {
    std::set<std::string> paths = {
        "/Mgmt/ProcessName", "/Mgmt/ProcessVersion", "/Mgmt/Connection", "/DeviceInstance", "/ProductId",
        "/ProductName", "/CustomName", "/FirmwareVersion", "/HardwareVersion", "/Serial", "/Connected",
        "/ErrorCode", "/StatusCode", "/Position", "/Ac/Power", "/Ac/Current", "/Ac/Voltage",
        "/Ac/Energy/Forward", "/Ac/MaxPower", "/Ac/NumberOfPhases", "/UpdateIndex",
        "/Enphase/MicroInvertersConfig", "/Enphase/MicroInvertersReporting", "/Enphase/MicroInvertersProducing",
        "/DeviceName", "/Enphase/TokenExpiry", "/Enphase/TokenType"};
    for (int phase = 1; phase <= phases; ++phase) {
        std::string prefix = "/Ac/L" + std::to_string(phase) + "/";
        for (const char* leaf : {"Power", "Current", "Voltage", "Frequency", "Energy/Forward"}) paths.insert(prefix + leaf);
    }
    return paths;
}

// One SetValue sent by dbus-python the way velib_python's clients send it (velib_set_value.py):
// {"result": the SetValue result, "value": what GetValue reads back afterwards}.
nlohmann::json velib_set_value(const std::string& bus_address, const std::string& service, const std::string& path,
                               const std::string& type, const std::string& value, const std::string& form) {
    Process client({"/usr/bin/python3", EE_VELIB_SET_VALUE, bus_address, service, path, type, value, form});
    auto code = client.wait_exit(20s);
    if (code != 0) return {{"error", client.output()}};
    return nlohmann::json::parse(client.output());
}

class DaemonOnDbus : public dbustest::DaemonOnBus {
protected:
    std::string token;

    void start(const std::string& capture, const std::string& user, const std::vector<std::string>& sim_args = {},
               const std::string& extra = "") {
        sim = start_simulator(capture, sim_args);
        token = make_token(capture, user);
        config = write_config(dir, sim.address(), "token = " + token + "\n", extra);
        start_daemon();
    }
};

TEST_F(DaemonOnDbus, ThreePhaseGatewayExportsEveryPathWithItsType) {
    start(k3Phase, "installer");
    ASSERT_TRUE(connected_is(kPv, 1)) << daemon->output();
    auto items = client->get_items(kPv);
    std::set<std::string> paths;
    for (const auto& [path, entry] : items) paths.insert(path);
    EXPECT_EQ(paths, pv_paths(3));

    EXPECT_EQ(items["/Serial"].value.type, "s");
    EXPECT_EQ(items["/Serial"].value.value, "122238082763");
    EXPECT_EQ(items["/FirmwareVersion"].value.value, "D7.6.175");
    EXPECT_EQ(items["/ProductId"].value.type, "i");
    EXPECT_EQ(items["/ProductId"].value.value, 0xFFFF);
    EXPECT_EQ(items["/Ac/NumberOfPhases"].value.value, 3);
    EXPECT_EQ(items["/Ac/Power"].value.type, "d");
    EXPECT_EQ(items["/DeviceInstance"].value.value, 61);
    EXPECT_EQ(items["/Position"].value.value, 0);
    EXPECT_EQ(items["/Ac/MaxPower"].value.value, 700.0);
    EXPECT_EQ(items["/Enphase/TokenType"].value.value, "installer");
    EXPECT_EQ(items["/Enphase/TokenExpiry"].value.type, "i");
    EXPECT_GT(items["/Enphase/TokenExpiry"].value.value.get<std::int64_t>(), std::time(nullptr));
    std::string connection = items["/Mgmt/Connection"].value.value;
    EXPECT_NE(connection.find("https://127.0.0.1:" + std::to_string(sim.port)), std::string::npos) << connection;
    EXPECT_NE(connection.find("(stream)"), std::string::npos) << connection;
    // The L1 power the simulator streams stays positive like the capture's production CT.
    EXPECT_GT(items["/Ac/L1/Power"].value.value.get<double>(), 100.0);
    // The token is never exported in any value or text.
    for (const auto& [path, entry] : items) {
        EXPECT_EQ(entry.value.value.dump().find(token.substr(0, 30)), std::string::npos) << path;
        EXPECT_EQ(entry.text.find(token.substr(0, 30)), std::string::npos) << path;
    }
    stop_daemon();
}

TEST_F(DaemonOnDbus, OnePhaseGatewayWithOwnerTokenHasOnlyL1) {
    start(k1Phase, "owner");
    ASSERT_TRUE(connected_is(kPv, 1)) << daemon->output();
    auto items = client->get_items(kPv);
    std::set<std::string> paths;
    for (const auto& [path, entry] : items) paths.insert(path);
    EXPECT_EQ(paths, pv_paths(1));
    EXPECT_EQ(items["/Ac/NumberOfPhases"].value.value, 1);
    EXPECT_EQ(items["/Enphase/TokenType"].value.value, "owner");
    EXPECT_NE(items["/Mgmt/Connection"].value.value.get<std::string>().find("(readings)"), std::string::npos);
    // Readings carry the meter's own lifetime counter (kWh), near the capture's 1243812.228 Wh.
    double forward = items["/Ac/Energy/Forward"].value.value.get<double>();
    EXPECT_GE(forward, 1243.812);
    EXPECT_LT(forward, 1244.5);
    stop_daemon();
}

TEST_F(DaemonOnDbus, EachStreamSampleIsSignalledOnce) {
    start(k3Phase, "installer", {"--stream-interval-ms", "200"});
    ASSERT_TRUE(connected_is(kPv, 1)) << daemon->output();
    client->subscribe(kPv);
    client->take_signals(kPv);
    std::vector<dbustest::Signal> signals;
    ASSERT_TRUE(wait_until([&] {
        for (auto& signal : client->take_signals(kPv)) signals.push_back(std::move(signal));
        int batches = 0;
        for (const auto& signal : signals) batches += signal.member == "ItemsChanged";
        return batches >= 5;
    }, 10s));
    int items_changed = 0;
    int power_in_batch = 0;
    std::set<std::string> single_changes;
    std::set<int> update_indexes;
    for (const auto& signal : signals) {
        if (signal.member == "ItemsChanged") {
            ++items_changed;
            EXPECT_EQ(signal.path, "/");
            ASSERT_TRUE(signal.body.contains("/UpdateIndex")) << signal.body.dump();
            update_indexes.insert(signal.body["/UpdateIndex"]["Value"].get<int>());
            power_in_batch += signal.body.contains("/Ac/Power");
        }
        if (signal.member == "PropertiesChanged") single_changes.insert(signal.path);
    }
    // One ItemsChanged per sample, each with a new /UpdateIndex; /Ac/Power changes each time.
    // As velib's batched updates: a sample's values are not also sent one by one.
    EXPECT_EQ(static_cast<int>(update_indexes.size()), items_changed);
    EXPECT_GE(power_in_batch, items_changed - 1);
    EXPECT_FALSE(single_changes.contains("/Ac/Power"));
    EXPECT_FALSE(single_changes.contains("/UpdateIndex"));
    stop_daemon();
}

TEST_F(DaemonOnDbus, PositionIsWritablePersistedAndChecked) {
    start(k3Phase, "installer");
    ASSERT_TRUE(connected_is(kPv, 1)) << daemon->output();
    EXPECT_EQ(client->set_value(kPv, "/Position", 1), 0);
    EXPECT_EQ(client->set_value(kPv, "/Position", 5), 2);
    EXPECT_EQ(client->set_value(kPv, "/Position", -1), 2);
    EXPECT_EQ(client->set_value(kPv, "/Position", std::string("1")), 1);
    EXPECT_EQ(client->set_value(kPv, "/CustomName", std::string("Roof")), 0);
    EXPECT_EQ(client->get_value(kPv, "/Position").value, 1);
    stop_daemon();
    start_daemon();
    ASSERT_TRUE(connected_is(kPv, 1)) << daemon->output();
    EXPECT_EQ(client->get_value(kPv, "/Position").value, 1);
    EXPECT_EQ(client->get_value(kPv, "/CustomName").value, "Roof");
    stop_daemon();
}

// velib_python's VeDbusItemImport sends the bare type (a proxy without introspection), other
// clients a variant: every writable item takes both, with the same conversion and checks
// (/Position 0..2, /CustomName at most 64 characters; a string is no position).
TEST_F(DaemonOnDbus, EveryWritableItemTakesBareAndVariantValues) {
    start(k1Phase, "owner", {"--static"}, "[GRID]\nenabled = 1\n");
    ASSERT_TRUE(connected_is(kPv, 1)) << daemon->output();
    ASSERT_TRUE(connected_is(kGrid, 1)) << daemon->output();
    const std::string too_long(65, 'x');
    for (const std::string form : {"bare", "variant"}) {
        SCOPED_TRACE(form);
        const std::string position = form == "bare" ? "2" : "1";
        EXPECT_EQ(velib_set_value(bus.address(), kPv, "/Position", "i", position, form),
                  (nlohmann::json{{"result", 0}, {"value", std::stoi(position)}}));
        EXPECT_EQ(velib_set_value(bus.address(), kPv, "/Position", "d", "0", form),
                  (nlohmann::json{{"result", 0}, {"value", 0}}));
        EXPECT_EQ(velib_set_value(bus.address(), kPv, "/Position", "i", "3", form),
                  (nlohmann::json{{"result", 2}, {"value", 0}}));
        EXPECT_EQ(velib_set_value(bus.address(), kPv, "/Position", "s", "1", form),
                  (nlohmann::json{{"result", 1}, {"value", 0}}));
        for (const char* service : {kPv, kGrid}) {
            const std::string name = std::string("Roof ") + form;
            EXPECT_EQ(velib_set_value(bus.address(), service, "/CustomName", "s", name, form),
                      (nlohmann::json{{"result", 0}, {"value", name}}));
            EXPECT_EQ(velib_set_value(bus.address(), service, "/CustomName", "s", too_long, form),
                      (nlohmann::json{{"result", 2}, {"value", name}}));
            EXPECT_EQ(velib_set_value(bus.address(), service, "/CustomName", "i", "7", form),
                      (nlohmann::json{{"result", 1}, {"value", name}}));
        }
        EXPECT_EQ(velib_set_value(bus.address(), kPv, "/Ac/Power", "d", "5", form)["result"], 1);
    }
    stop_daemon();
}

TEST_F(DaemonOnDbus, KilledSimulatorInvalidatesValuesAndARestartedOneBringsThemBack) {
    // The same gateway comes back: the same TLS key, which the daemon pinned at first contact.
    const std::vector<std::string> same_key = {"--tls-key", dir.file("gateway-key.pem")};
    start(k3Phase, "installer", same_key);
    ASSERT_TRUE(connected_is(kPv, 1)) << daemon->output();
    int port = sim.port;
    sim.process->signal(SIGKILL);
    sim.process->wait_exit(5s);
    auto killed_at = std::chrono::steady_clock::now();
    ASSERT_TRUE(connected_is(kPv, 0, 10s)) << daemon->output();
    EXPECT_LT(std::chrono::steady_clock::now() - killed_at, 10s);
    auto power = client->get_value(kPv, "/Ac/Power");
    EXPECT_EQ(power.type, "ai");
    EXPECT_TRUE(power.value.empty());
    EXPECT_EQ(client->get_text(kPv, "/Ac/Power"), "---");
    EXPECT_EQ(client->get_value(kPv, "/Ac/L1/Power").type, "ai");

    sim = start_simulator(k3Phase, same_key, port);
    EXPECT_TRUE(connected_is(kPv, 1, 45s)) << daemon->output();
    EXPECT_EQ(client->get_value(kPv, "/Ac/Power").type, "d");
    EXPECT_TRUE(daemon->running());
    stop_daemon();
}

TEST_F(DaemonOnDbus, SecondDaemonWithTheSameNameExitsWithAClearError) {
    start(k3Phase, "installer");
    ASSERT_TRUE(connected_is(kPv, 1)) << daemon->output();
    Process second(daemon_command(config), bus.environment());
    auto code = second.wait_exit(30s);
    ASSERT_TRUE(code.has_value()) << second.output();
    EXPECT_EQ(*code, 3);
    EXPECT_NE(second.output().find("ERROR: D-Bus name com.victronenergy.pvinverter.enphase_envoy is already owned by another process"),
              std::string::npos)
        << second.output();
    EXPECT_EQ(client->get_value(kPv, "/Connected").value, 1);
    stop_daemon();
}

TEST_F(DaemonOnDbus, SettingsServiceAssignsTheInstance) {
    Process settings({fake_settings_program(), "--occupy",
                      "/Settings/Devices/other/ClassAndVrmInstance=pvinverter:61"},
                     bus.environment());
    ASSERT_TRUE(settings.wait_for_output("ready")) << settings.output();
    start(k3Phase, "installer");
    ASSERT_TRUE(connected_is(kPv, 1)) << daemon->output();
    EXPECT_EQ(client->get_value(kPv, "/DeviceInstance").value, 62);
    EXPECT_EQ(client->get_value("com.victronenergy.settings", "/Settings/Devices/enphase_envoy_122238082763/ClassAndVrmInstance").value,
              "pvinverter:62");
    stop_daemon();
}

// At boot the settings service may start after the driver: the driver serves with the
// configured instance meanwhile, then registers there, moving what changed locally.
TEST_F(DaemonOnDbus, SettingsServiceThatStartsLaterIsJoined) {
    start(k3Phase, "installer");
    ASSERT_TRUE(connected_is(kPv, 1)) << daemon->output();
    EXPECT_EQ(client->get_value(kPv, "/DeviceInstance").value, 61);
    EXPECT_EQ(client->set_value(kPv, "/Position", 2), 0);  // kept locally for now
    Process settings({fake_settings_program(), "--occupy",
                      "/Settings/Devices/other/ClassAndVrmInstance=pvinverter:61"},
                     bus.environment());
    ASSERT_TRUE(settings.wait_for_output("ready")) << settings.output();
    const std::string device = "/Settings/Devices/enphase_envoy_122238082763/";
    EXPECT_TRUE(wait_until([&] { return client->get_value(kPv, "/DeviceInstance").value == 62; }, 10s)) << daemon->output();
    EXPECT_TRUE(wait_until([&] {
        try {
            return client->get_value("com.victronenergy.settings", device + "Position").value == 2;
        } catch (const std::exception&) {
            return false;
        }
    }, 10s)) << daemon->output();
    EXPECT_EQ(client->get_value("com.victronenergy.settings", device + "ClassAndVrmInstance").value, "pvinverter:62");
    EXPECT_EQ(client->get_value(kPv, "/Position").value, 2);
    stop_daemon();
}

// Changes made in the settings service (by the GUI or any other client) reach the device.
TEST_F(DaemonOnDbus, ChangesInTheSettingsServiceAreFollowed) {
    Process settings({fake_settings_program()}, bus.environment());
    ASSERT_TRUE(settings.wait_for_output("ready")) << settings.output();
    start(k3Phase, "installer");
    ASSERT_TRUE(connected_is(kPv, 1)) << daemon->output();
    const std::string device = "/Settings/Devices/enphase_envoy_122238082763/";
    EXPECT_EQ(client->set_value("com.victronenergy.settings", device + "Position", 1), 0);
    EXPECT_EQ(client->set_value("com.victronenergy.settings", device + "CustomName", std::string("Roof west")), 0);
    EXPECT_EQ(client->set_value("com.victronenergy.settings", device + "ClassAndVrmInstance", std::string("pvinverter:70")), 0);
    EXPECT_TRUE(wait_until([&] {
        return client->get_value(kPv, "/Position").value == 1 && client->get_value(kPv, "/CustomName").value == "Roof west" &&
               client->get_value(kPv, "/DeviceInstance").value == 70;
    }, 10s)) << daemon->output();
    stop_daemon();
}

TEST_F(DaemonOnDbus, GridMeterFromTheNetConsumptionCounters) {
    start(k1Phase, "owner", {"--static"}, "[GRID]\nenabled = 1\n");
    ASSERT_TRUE(connected_is(kGrid, 1)) << daemon->output();
    auto items = client->get_items(kGrid);
    EXPECT_EQ(items["/Role"].value.value, "grid");
    EXPECT_EQ(items["/Ac/NumberOfPhases"].value.value, 1);
    EXPECT_EQ(items["/DeviceInstance"].value.value, 31);
    // 8.2.4345 net-consumption meter: actEnergyDlvd 648203.353 Wh, actEnergyRcvd 883899.646 Wh.
    EXPECT_NEAR(items["/Ac/Energy/Forward"].value.value.get<double>(), 648.203353, 1e-6);
    EXPECT_NEAR(items["/Ac/Energy/Reverse"].value.value.get<double>(), 883.899646, 1e-6);
    EXPECT_NEAR(items["/Ac/L1/Energy/Forward"].value.value.get<double>(), 648.203353, 1e-3);
    EXPECT_EQ(items["/Ac/Power"].value.type, "d");
    EXPECT_FALSE(items.count("/Ac/L2/Power"));
    stop_daemon();
}

TEST_F(DaemonOnDbus, GridMeterIsOffByDefault) {
    start(k1Phase, "owner");
    ASSERT_TRUE(connected_is(kPv, 1)) << daemon->output();
    EXPECT_THROW(client->get_value(kGrid, "/Connected"), std::runtime_error);
    stop_daemon();
}

}  // namespace
