// Integration tests of venus::PvInverter seen through an independent D-Bus client: the exported
// paths, types, values and texts, subtrees, change signals, writable settings and errors.
#include <map>
#include <set>
#include <vector>

#include "VenusFixture.hpp"

using namespace dbustest;

namespace {

const std::set<std::string> kCommonPvPaths = {
    "/Mgmt/ProcessName", "/Mgmt/ProcessVersion", "/Mgmt/Connection", "/DeviceInstance", "/ProductId",
    "/ProductName", "/CustomName", "/FirmwareVersion", "/HardwareVersion", "/Serial", "/Connected",
    "/ErrorCode", "/StatusCode", "/Position", "/UpdateIndex", "/Ac/Power", "/Ac/Current", "/Ac/Voltage",
    "/Ac/Energy/Forward", "/Ac/MaxPower", "/Ac/NumberOfPhases", "/Enphase/MicroInvertersConfig",
    "/Enphase/MicroInvertersReporting", "/Enphase/MicroInvertersProducing", "/DeviceName",
    "/Enphase/TokenExpiry", "/Enphase/TokenType"};

std::set<std::string> pv_paths(int phases) {
    std::set<std::string> paths = kCommonPvPaths;
    for (int i = 1; i <= phases; ++i) {
        for (const char* leaf : {"Power", "Current", "Voltage", "Frequency", "Energy/Forward"}) {
            paths.insert("/Ac/L" + std::to_string(i) + "/" + leaf);
        }
    }
    return paths;
}

std::set<std::string> keys_of(const std::map<std::string, ItemEntry>& items) {
    std::set<std::string> keys;
    for (const auto& [path, item] : items) keys.insert(path);
    return keys;
}

std::set<std::string> keys_of(const nlohmann::json& object) {
    std::set<std::string> keys;
    for (const auto& [key, value] : object.items()) keys.insert(key);
    return keys;
}

}  // namespace

TEST_F(VenusTest, OnePhaseSnapshotExportsExactlyThePvPathsWithTypesValuesAndTexts) {
    start_pv();
    publish(pv_snapshot(1));
    auto items = client.get_items(kPvName);
    EXPECT_EQ(keys_of(items), pv_paths(1));

    EXPECT_EQ(items["/Ac/Power"].value.type, "d");
    EXPECT_DOUBLE_EQ(items["/Ac/Power"].value.value.get<double>(), 1000.0);
    EXPECT_EQ(items["/Ac/Power"].text, "1000W");
    EXPECT_EQ(items["/Ac/L1/Voltage"].value.type, "d");
    EXPECT_EQ(items["/Ac/L1/Voltage"].text, "230.1V");
    EXPECT_EQ(items["/Ac/L1/Current"].text, "4.3A");
    EXPECT_EQ(items["/Ac/L1/Frequency"].text, "50.01Hz");
    EXPECT_EQ(items["/Ac/Energy/Forward"].text, "1234.57kWh");
    EXPECT_EQ(items["/Ac/L1/Energy/Forward"].text, "100.00kWh");
    EXPECT_EQ(items["/Ac/MaxPower"].text, "3490W");
    EXPECT_EQ(items["/Ac/NumberOfPhases"].value.type, "i");
    EXPECT_EQ(items["/Ac/NumberOfPhases"].value.value, 1);
    EXPECT_EQ(items["/ProductId"].value.type, "i");
    EXPECT_EQ(items["/ProductId"].value.value, 0xFFFF);
    EXPECT_EQ(items["/ProductId"].text, "0xFFFF");
    EXPECT_EQ(items["/ProductName"].value.type, "s");
    EXPECT_EQ(items["/ProductName"].value.value, "Enphase Envoy");
    EXPECT_EQ(items["/Serial"].value.value, kSerial);
    EXPECT_EQ(items["/FirmwareVersion"].value.value, "D7.6.175");
    EXPECT_EQ(items["/HardwareVersion"].value.value, "10x IQ7A");
    EXPECT_EQ(items["/Mgmt/Connection"].value.value, "https://192.168.1.50 (stream)");
    EXPECT_EQ(items["/Mgmt/ProcessName"].value.value, "dbus-enphase-envoy");
    EXPECT_EQ(items["/DeviceInstance"].value.type, "i");
    EXPECT_EQ(items["/DeviceInstance"].value.value, 61);  // no settings service: configured instance
    EXPECT_EQ(items["/Connected"].value.value, 1);
    EXPECT_EQ(items["/ErrorCode"].value.value, 0);
    EXPECT_EQ(items["/StatusCode"].value.value, 7);
    EXPECT_EQ(items["/StatusCode"].text, "Running");
    EXPECT_EQ(items["/Position"].value.value, 0);
    EXPECT_EQ(items["/Position"].text, "AC input 1");
    EXPECT_EQ(items["/UpdateIndex"].value.value, 1);
    EXPECT_EQ(items["/Enphase/TokenType"].value.type, "ai");  // not set: invalid
    EXPECT_EQ(items["/Enphase/TokenType"].text, "---");
}

TEST_F(VenusTest, ThreePhaseSnapshotAddsPhasesAndDroppingToOneRemovesThem) {
    start_pv();
    publish(pv_snapshot(3));
    auto items = client.get_items(kPvName);
    EXPECT_EQ(keys_of(items), pv_paths(3));
    EXPECT_EQ(items["/Ac/NumberOfPhases"].value.value, 3);
    EXPECT_DOUBLE_EQ(items["/Ac/L3/Power"].value.value.get<double>(), 1200.0);
    EXPECT_EQ(items["/Ac/L2/Power"].text, "1100W");
    EXPECT_EQ(items["/Ac/Power"].text, "3300W");

    client.subscribe(kPvName);
    publish(pv_snapshot(1));
    EXPECT_EQ(keys_of(client.get_items(kPvName)), pv_paths(1));
    auto signals = client.take_signals(kPvName);
    ASSERT_FALSE(signals.empty());
    ASSERT_EQ(signals[0].member, "ItemsChanged");
    // The removed paths are sent once more as invalid.
    EXPECT_EQ(signals[0].body["/Ac/L3/Power"]["Value"], nlohmann::json::array());
    EXPECT_EQ(signals[0].body["/Ac/L3/Power"]["Text"], "---");
    EXPECT_EQ(client.call_error(kPvName, "/Ac/L3/Power", "GetValue"), "org.freedesktop.DBus.Error.UnknownObject");
}

TEST_F(VenusTest, NodesReturnTheirSubtreeWithRelativePaths) {
    start_pv();
    publish(pv_snapshot(3));
    auto ac = client.get_value(kPvName, "/Ac");
    EXPECT_EQ(ac.type, "a{sv}");
    std::set<std::string> expected_ac;
    for (const auto& path : pv_paths(3)) {
        if (path.rfind("/Ac/", 0) == 0) expected_ac.insert(path.substr(4));
    }
    EXPECT_EQ(keys_of(ac.value), expected_ac);
    EXPECT_DOUBLE_EQ(ac.value["L2/Power"].get<double>(), 1100.0);
    EXPECT_EQ(ac.value["NumberOfPhases"], 3);

    auto ac_text = client.get_text_variant(kPvName, "/Ac");
    EXPECT_EQ(ac_text.type, "a{ss}");
    EXPECT_EQ(ac_text.value["Power"], "3300W");
    EXPECT_EQ(ac_text.value["L1/Frequency"], "50.01Hz");

    auto l1 = client.get_value(kPvName, "/Ac/L1");
    EXPECT_EQ(keys_of(l1.value), (std::set<std::string>{"Power", "Current", "Voltage", "Frequency", "Energy/Forward"}));

    auto root = client.get_value(kPvName, "/");
    EXPECT_EQ(root.type, "a{sv}");
    EXPECT_EQ(root.value.size(), pv_paths(3).size());
    EXPECT_EQ(root.value["ProductName"], "Enphase Envoy");
    EXPECT_EQ(root.value["Mgmt/ProcessVersion"], "0.1.0");
    EXPECT_EQ(client.get_text_variant(kPvName, "/").value["Ac/L3/Power"], "1200W");
}

TEST_F(VenusTest, InvalidValuesAreEmptyIntArraysWithDashes) {
    start_pv();
    auto power = client.get_value(kPvName, "/Ac/Power");
    EXPECT_EQ(power.type, "ai");
    EXPECT_EQ(power.value, nlohmann::json::array());
    EXPECT_EQ(client.get_text(kPvName, "/Ac/Power"), "---");
    EXPECT_EQ(client.get_value(kPvName, "/Ac/NumberOfPhases").type, "ai");
    EXPECT_EQ(client.get_value(kPvName, "/Connected").value, 0);
}

TEST_F(VenusTest, EachPublishSendsOneItemsChangedWithOnlyChangedPaths) {
    start_pv();
    client.subscribe(kPvName);
    publish(pv_snapshot(1));
    auto first = client.take_signals(kPvName);
    // As velib's batched updates: one ItemsChanged on "/" and no PropertiesChanged.
    ASSERT_EQ(first.size(), 1u);
    EXPECT_EQ(first[0].member, "ItemsChanged");
    EXPECT_EQ(first[0].path, "/");
    EXPECT_TRUE(first[0].body.contains("/Ac/Power"));
    EXPECT_EQ(first[0].body["/Ac/Power"]["Text"], "1000W");

    // The same values again: only the update counter changes.
    publish(pv_snapshot(1));
    auto same = client.take_signals(kPvName);
    ASSERT_EQ(same.size(), 1u);
    EXPECT_EQ(same[0].member, "ItemsChanged");
    EXPECT_EQ(keys_of(same[0].body), (std::set<std::string>{"/UpdateIndex"}));
    EXPECT_EQ(same[0].body["/UpdateIndex"]["Value"], 2);

    // One phase changes: its power, the total, the current and the counter.
    publish(pv_snapshot(1, 50));
    auto changed = client.take_signals(kPvName);
    ASSERT_EQ(changed.size(), 1u);
    EXPECT_EQ(keys_of(changed[0].body), (std::set<std::string>{"/Ac/Power", "/Ac/Current", "/Ac/L1/Power",
                                                                "/Ac/L1/Current", "/UpdateIndex"}));
    EXPECT_EQ(changed[0].body["/Ac/L1/Power"]["Text"], "1050W");
}

// Changes outside a sample (a lost gateway, the microinverter counts, the token) go out as
// velib sends service[path] = value: one PropertiesChanged per changed item, no ItemsChanged,
// so that a client following single items sees each of them.
TEST_F(VenusTest, ChangesOutsideASampleArePropertiesChangedPerItem) {
    start_pv();
    publish(pv_snapshot(1));
    client.subscribe(kPvName);
    client.take_signals(kPvName);
    loop.run([&] { pv->set_microinverters(10, 9, 8); });
    auto counts = client.take_signals(kPvName);
    std::map<std::string, nlohmann::json> by_path;
    for (const auto& signal : counts) {
        EXPECT_EQ(signal.member, "PropertiesChanged");
        by_path[signal.path] = signal.body["Value"];
    }
    EXPECT_EQ(by_path.size(), counts.size());
    EXPECT_EQ(by_path, (std::map<std::string, nlohmann::json>{{"/Enphase/MicroInvertersConfig", 10},
                                                              {"/Enphase/MicroInvertersReporting", 9},
                                                              {"/Enphase/MicroInvertersProducing", 8},
                                                              {"/DeviceName", "8 of 10 \u26A1 (1 u/a)"}}));

    loop.run([&] { pv->set_disconnected(); });
    std::set<std::string> invalidated;
    for (const auto& signal : client.take_signals(kPvName)) {
        EXPECT_EQ(signal.member, "PropertiesChanged");
        invalidated.insert(signal.path);
    }
    EXPECT_TRUE(invalidated.contains("/Ac/Power"));
    EXPECT_TRUE(invalidated.contains("/Ac/L1/Power"));
    EXPECT_TRUE(invalidated.contains("/Connected"));
    EXPECT_TRUE(invalidated.contains("/StatusCode"));
}

TEST_F(VenusTest, UpdateIndexWrapsAfter255) {
    start_pv();
    for (int i = 0; i < 257; ++i) publish(pv_snapshot(1));
    EXPECT_EQ(client.get_value(kPvName, "/UpdateIndex").value, 1);
}

TEST_F(VenusTest, PositionIsValidatedPersistedAndRestored) {
    start_pv();
    EXPECT_EQ(client.set_value(kPvName, "/Position", 1), 0);
    EXPECT_EQ(client.get_value(kPvName, "/Position").value, 1);
    EXPECT_EQ(client.get_text(kPvName, "/Position"), "AC output");
    EXPECT_EQ(client.set_value(kPvName, "/Position", 5), 2);
    EXPECT_EQ(client.set_value(kPvName, "/Position", "1"), 1);
    EXPECT_EQ(client.get_value(kPvName, "/Position").value, 1);
    EXPECT_EQ(client.set_value(kPvName, "/ProductName", "Other"), 1);  // not writable

    auto state = nlohmann::json::parse(testsupport::read_file(state_file()));
    EXPECT_EQ(state[std::string("enphase_envoy_") + kSerial]["Position"], 1);

    stop_pv();
    start_pv();
    EXPECT_EQ(client.get_value(kPvName, "/Position").value, 1);
}

TEST_F(VenusTest, CustomNameIsPersistedAndRestored) {
    start_pv();
    EXPECT_EQ(client.set_value(kPvName, "/CustomName", "Roof south"), 0);
    EXPECT_EQ(client.set_value(kPvName, "/CustomName", 3), 1);
    EXPECT_EQ(client.get_value(kPvName, "/CustomName").value, "Roof south");
    auto state = nlohmann::json::parse(testsupport::read_file(state_file()));
    EXPECT_EQ(state[std::string("enphase_envoy_") + kSerial]["CustomName"], "Roof south");
    stop_pv();
    start_pv();
    EXPECT_EQ(client.get_value(kPvName, "/CustomName").value, "Roof south");
}

TEST_F(VenusTest, SecondServiceWithTheSameNameThrowsNameTaken) {
    start_pv();
    std::string message = loop.run([&]() -> std::string {
        busitem::Bus other(loop.loop());
        try {
            venus::PvInverter second(other, identity(), *settings);
        } catch (const busitem::NameTaken& error) {
            return error.what();
        }
        return "no exception";
    });
    EXPECT_EQ(message, "D-Bus name com.victronenergy.pvinverter.enphase_envoy is already owned by another process");
    EXPECT_EQ(client.get_value(kPvName, "/ProductName").value, "Enphase Envoy");  // the first one still serves
}

TEST_F(VenusTest, DisconnectedInvalidatesMeasurements) {
    start_pv();
    publish(pv_snapshot(3));
    loop.run([&] { pv->set_disconnected(); });
    auto items = client.get_items(kPvName);
    EXPECT_EQ(items["/Ac/Power"].value.type, "ai");
    EXPECT_EQ(items["/Ac/Power"].text, "---");
    EXPECT_EQ(items["/Ac/L2/Power"].value.type, "ai");
    EXPECT_EQ(items["/Ac/Energy/Forward"].value.type, "ai");
    EXPECT_EQ(items["/Connected"].value.value, 0);
    EXPECT_EQ(items["/StatusCode"].value.value, 10);
    EXPECT_EQ(items["/StatusCode"].text, "Error");
}

TEST_F(VenusTest, StandbyBelowFiveWatts) {
    start_pv();
    auto snapshot = pv_snapshot(1);
    snapshot.pv.total.power = 4.0;
    publish(snapshot);
    EXPECT_EQ(client.get_value(kPvName, "/StatusCode").value, 8);
    EXPECT_EQ(client.get_text(kPvName, "/StatusCode"), "Standby");
}

TEST_F(VenusTest, MicroinvertersTokenAndConnection) {
    start_pv();
    loop.run([&] {
        pv->set_microinverters(10, 9, 9);
        pv->set_token(1767225600, model::TokenUser::Owner);
        pv->set_connection("https://192.168.1.50 (readings)");
    });
    auto items = client.get_items(kPvName);
    EXPECT_EQ(items["/DeviceName"].value.value, "9 of 10 \u26A1 (1 u/a)");
    EXPECT_EQ(items["/Enphase/MicroInvertersConfig"].value.value, 10);
    EXPECT_EQ(items["/Enphase/MicroInvertersReporting"].value.value, 9);
    EXPECT_EQ(items["/Enphase/MicroInvertersProducing"].value.type, "i");
    EXPECT_EQ(items["/Enphase/TokenExpiry"].value.type, "i");
    EXPECT_EQ(items["/Enphase/TokenExpiry"].value.value, 1767225600);
    EXPECT_EQ(items["/Enphase/TokenType"].value.value, "owner");
    EXPECT_EQ(items["/Mgmt/Connection"].value.value, "https://192.168.1.50 (readings)");

    loop.run([&] {
        pv->set_microinverters(10, 10, 7);
        pv->set_token(0, model::TokenUser::Unknown);
    });
    EXPECT_EQ(client.get_value(kPvName, "/DeviceName").value, "7 of 10 \u26A1");
    EXPECT_EQ(client.get_value(kPvName, "/Enphase/TokenType").type, "ai");
}

TEST_F(VenusTest, IntrospectionOnRootNodeAndLeaf) {
    start_pv();
    publish(pv_snapshot(3));
    auto root = client.introspect(kPvName, "/");
    EXPECT_NE(root.find("<node name=\"Ac\"/>"), std::string::npos);
    EXPECT_NE(root.find("<node name=\"Mgmt\"/>"), std::string::npos);
    EXPECT_NE(root.find("GetItems"), std::string::npos);
    EXPECT_NE(root.find("ItemsChanged"), std::string::npos);
    auto ac = client.introspect(kPvName, "/Ac");
    EXPECT_NE(ac.find("<node name=\"L1\"/>"), std::string::npos);
    EXPECT_NE(ac.find("<node name=\"L3\"/>"), std::string::npos);
    EXPECT_NE(ac.find("<node name=\"Power\"/>"), std::string::npos);
    EXPECT_EQ(ac.find("<node name=\"Mgmt\"/>"), std::string::npos);
    auto leaf = client.introspect(kPvName, "/Ac/Power");
    EXPECT_NE(leaf.find("com.victronenergy.BusItem"), std::string::npos);
    EXPECT_NE(leaf.find("SetValue"), std::string::npos);
    EXPECT_NE(leaf.find("PropertiesChanged"), std::string::npos);
    EXPECT_EQ(leaf.find("<node name="), std::string::npos);
}

TEST_F(VenusTest, UnknownPathIsAnUnknownObjectError) {
    start_pv();
    EXPECT_EQ(client.call_error(kPvName, "/Nothing/Here", "GetValue"), "org.freedesktop.DBus.Error.UnknownObject");
}

// dbus-fronius's contract with ESS: /Ac/PowerLimit is invalid and refuses writes while limiting
// is not usable; once usable it shows the limit the gateway applies (at rest /Ac/MaxPower), not
// the one asked for, and every write reaches the limiter, also the same value again (ESS repeats
// its limit to keep it alive).
TEST_F(VenusTest, PowerLimitShowsWhatTheGatewayAppliesAndPassesEveryWrite) {
    start_pv();
    std::vector<double> requests;
    loop.run([&] { pv->enable_power_limit([&requests](double watts) { requests.push_back(watts); }); });
    EXPECT_EQ(client.get_value(kPvName, "/Ac/PowerLimit").type, "ai");
    EXPECT_EQ(client.get_value(kPvName, "/Enphase/PowerLimit/State").value, 0);
    EXPECT_EQ(client.get_text(kPvName, "/Enphase/PowerLimit/State"), "Not supported");
    EXPECT_EQ(client.set_value(kPvName, "/Ac/PowerLimit", 500), 2);

    loop.run([&] { pv->show_power_limit(model::LimitState::Off, std::nullopt, ""); });
    const double max_power = client.get_value(kPvName, "/Ac/MaxPower").value.get<double>();
    EXPECT_DOUBLE_EQ(client.get_value(kPvName, "/Ac/PowerLimit").value.get<double>(), max_power);
    EXPECT_EQ(client.set_value(kPvName, "/Ac/PowerLimit", 500), 0);
    EXPECT_EQ(client.set_value(kPvName, "/Ac/PowerLimit", 500), 0);
    EXPECT_EQ(client.set_value(kPvName, "/Ac/PowerLimit", std::string("500")), 1);
    EXPECT_EQ(loop.run([&] { return requests; }), (std::vector<double>{500, 500}));
    EXPECT_DOUBLE_EQ(client.get_value(kPvName, "/Ac/PowerLimit").value.get<double>(), max_power);

    loop.run([&] { pv->show_power_limit(model::LimitState::Active, 500.0, ""); });
    EXPECT_DOUBLE_EQ(client.get_value(kPvName, "/Ac/PowerLimit").value.get<double>(), 500.0);
    EXPECT_EQ(client.get_text(kPvName, "/Ac/PowerLimit"), "500W");
    EXPECT_EQ(client.get_text(kPvName, "/Enphase/PowerLimit/State"), "Active");

    loop.run([&] { pv->show_power_limit(model::LimitState::Refused, 500.0, "the gateway refused the new limit (HTTP 503)"); });
    EXPECT_EQ(client.get_value(kPvName, "/Enphase/PowerLimit/State").value, 4);
    EXPECT_EQ(client.get_value(kPvName, "/Enphase/PowerLimit/Reason").value, "the gateway refused the new limit (HTTP 503)");
}
