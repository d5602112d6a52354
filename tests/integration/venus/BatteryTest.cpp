// Integration tests of venus::Battery through an independent D-Bus client: the paths a Venus
// battery shows, their values and texts, nothing DVCC or the BMS selection would act on, one
// ItemsChanged per sample, everything invalid on loss, and the instance from the settings service.
#include <set>

#include "VenusFixture.hpp"
#include "venus/Battery.hpp"

using namespace dbustest;

namespace {

inline constexpr const char* kBatteryName = "com.victronenergy.battery.enphase_envoy";

const std::set<std::string> kBatteryPaths = {
    "/Mgmt/ProcessName", "/Mgmt/ProcessVersion", "/Mgmt/Connection", "/DeviceInstance", "/ProductId",
    "/ProductName", "/CustomName", "/FirmwareVersion", "/HardwareVersion", "/Serial", "/Connected", "/ErrorCode",
    "/UpdateIndex", "/Soc", "/Soh", "/Dc/0/Power", "/Dc/0/Temperature", "/Dc/0/Voltage", "/Dc/0/Current",
    "/ConsumedAmphours", "/TimeToGo", "/History/ChargedEnergy", "/History/DischargedEnergy", "/System/NrOfBatteries",
    "/System/NrOfModulesOnline", "/System/NrOfModulesOffline", "/System/MaxCellTemperature", "/Enphase/Capacity",
    "/Enphase/AvailableEnergy", "/Enphase/BackupReserve"};

// The measurements, which are invalid after a loss.
const std::set<std::string> kMeasurements = {
    "/Soc", "/Soh", "/Dc/0/Power", "/Dc/0/Temperature", "/Dc/0/Voltage", "/Dc/0/Current", "/ConsumedAmphours",
    "/TimeToGo", "/History/ChargedEnergy", "/History/DischargedEnergy", "/System/NrOfBatteries",
    "/System/NrOfModulesOnline", "/System/NrOfModulesOffline", "/System/MaxCellTemperature", "/Enphase/Capacity",
    "/Enphase/AvailableEnergy", "/Enphase/BackupReserve"};

// Three IQ Batteries, one of them not communicating, the warmest cell 31.5 °C; the site charging
// with 1.5 kW.
model::BatteryTotal total_of_three() {
    model::BatteryTotal total;
    total.soc = 50.0;
    total.soh = 98.4;
    total.power = 1500.0;
    total.capacity_wh = 10080.0;
    total.available_energy_wh = 5040.0;
    total.backup_reserve = 30.0;
    total.temperature = 26.0;
    total.max_cell_temperature = 31.5;
    total.charged_kwh = 1234.5678;
    total.discharged_kwh = 1100.0;
    total.count = 3;
    total.online = 2;
    return total;
}

std::set<std::string> keys_of(const std::map<std::string, ItemEntry>& items) {
    std::set<std::string> keys;
    for (const auto& [path, item] : items) keys.insert(path);
    return keys;
}

}  // namespace

class VenusBatteryTest : public VenusTest {
protected:
    void TearDown() override {
        loop.run([this] {
            battery.reset();
            battery_settings.reset();
        });
        VenusTest::TearDown();
    }

    void start_battery() {
        loop.run([&] {
            bus = std::make_unique<busitem::Bus>(loop.loop());
            battery_settings = std::make_unique<busitem::DeviceSettings>(
                *bus, venus::battery_settings(kSerial, venus::kBatteryDefaultInstance, state_file()));
            battery_settings->start([] {});
        });
        ASSERT_TRUE(testsupport::wait_until([&] { return loop.run([&] { return battery_settings->ready(); }); }, 5s));
        loop.run([&] { battery = std::make_unique<venus::Battery>(*bus, identity(), *battery_settings); });
    }

    void publish(const model::BatteryTotal& total) {
        loop.run([&] { battery->publish(total); });
    }

    std::unique_ptr<busitem::DeviceSettings> battery_settings;
    std::unique_ptr<venus::Battery> battery;
};

TEST_F(VenusBatteryTest, ExportsTheBatteryPathsWithTheirValues) {
    start_battery();
    publish(total_of_three());
    auto items = client.get_items(kBatteryName);
    EXPECT_EQ(keys_of(items), kBatteryPaths);
    EXPECT_EQ(items["/DeviceInstance"].value.value, 512);
    EXPECT_EQ(items["/ProductName"].value.value, "Enphase Envoy battery");
    EXPECT_EQ(items["/ProductId"].text, "0xFFFF");
    EXPECT_EQ(items["/Serial"].value.value, kSerial);
    EXPECT_EQ(items["/Connected"].value.value, 1);
    EXPECT_EQ(items["/Soc"].value.type, "d");
    EXPECT_DOUBLE_EQ(items["/Soc"].value.value.get<double>(), 50.0);
    EXPECT_EQ(items["/Soc"].text, "50.0%");
    EXPECT_EQ(items["/Soh"].text, "98.4%");
    EXPECT_DOUBLE_EQ(items["/Dc/0/Power"].value.value.get<double>(), 1500.0);
    EXPECT_EQ(items["/Dc/0/Power"].text, "1500W");
    EXPECT_EQ(items["/Dc/0/Temperature"].text, "26.0°C");
    EXPECT_DOUBLE_EQ(items["/History/ChargedEnergy"].value.value.get<double>(), 1234.5678);
    EXPECT_EQ(items["/History/ChargedEnergy"].text, "1234.57kWh");
    EXPECT_EQ(items["/History/DischargedEnergy"].text, "1100.00kWh");
    EXPECT_EQ(items["/System/NrOfBatteries"].value.value, 3);
    EXPECT_EQ(items["/System/NrOfModulesOnline"].value.value, 2);
    EXPECT_EQ(items["/System/NrOfModulesOffline"].value.value, 1);
    EXPECT_DOUBLE_EQ(items["/System/MaxCellTemperature"].value.value.get<double>(), 31.5);  // max(28, 31.5, 30)
    EXPECT_EQ(items["/Enphase/Capacity"].text, "10080Wh");
    EXPECT_EQ(items["/Enphase/AvailableEnergy"].text, "5040Wh");
    EXPECT_EQ(items["/Enphase/BackupReserve"].text, "30.0%");
    // AC-coupled: nothing on a DC bus Venus could see.
    for (const char* path : {"/Dc/0/Voltage", "/Dc/0/Current", "/ConsumedAmphours", "/TimeToGo"}) {
        EXPECT_EQ(items[path].value.type, "ai") << path;
        EXPECT_EQ(items[path].text, "---") << path;
    }
}

TEST_F(VenusBatteryTest, HasNothingDvccOrTheBmsSelectionWouldActOn) {
    start_battery();
    publish(total_of_three());
    for (const char* path : {"/Info/MaxChargeCurrent", "/Info/MaxDischargeCurrent", "/Info/MaxChargeVoltage",
                             "/Info/BatteryLowVoltage", "/Capacity", "/InstalledCapacity"}) {
        EXPECT_EQ(client.call_error(kBatteryName, path, "GetValue"), "org.freedesktop.DBus.Error.UnknownObject") << path;
    }
    EXPECT_EQ(client.call_error(kBatteryName, "/Info", "GetValue"), "org.freedesktop.DBus.Error.UnknownObject");
}

TEST_F(VenusBatteryTest, EachPublishIsOneItemsChanged) {
    start_battery();
    client.subscribe(kBatteryName);
    publish(total_of_three());
    auto first = client.take_signals(kBatteryName);
    ASSERT_EQ(first.size(), 1u);
    EXPECT_EQ(first[0].member, "ItemsChanged");
    EXPECT_EQ(first[0].body["/Dc/0/Power"]["Text"], "1500W");

    // A storage CT sample that changes only the power: the power and the update counter.
    auto total = total_of_three();
    total.power = -250.0;
    publish(total);
    auto changed = client.take_signals(kBatteryName);
    ASSERT_EQ(changed.size(), 1u);
    EXPECT_EQ(changed[0].member, "ItemsChanged");
    std::set<std::string> paths;
    for (auto it = changed[0].body.begin(); it != changed[0].body.end(); ++it) paths.insert(it.key());
    EXPECT_EQ(paths, (std::set<std::string>{"/Dc/0/Power", "/UpdateIndex"}));
    EXPECT_EQ(changed[0].body["/Dc/0/Power"]["Text"], "-250W");
}

TEST_F(VenusBatteryTest, UnknownValuesAreInvalid) {
    start_battery();
    model::BatteryTotal total;
    total.power = -260.0;  // an AC Battery: power and energy only
    total.available_energy_wh = 550.0;
    total.count = 1;
    total.online = 1;
    publish(total);
    auto items = client.get_items(kBatteryName);
    EXPECT_EQ(items["/Soc"].value.type, "ai");
    EXPECT_EQ(items["/Soh"].value.type, "ai");
    EXPECT_EQ(items["/History/ChargedEnergy"].value.type, "ai");
    EXPECT_EQ(items["/System/MaxCellTemperature"].value.type, "ai");
    EXPECT_EQ(items["/Dc/0/Power"].text, "-260W");
    EXPECT_EQ(items["/System/NrOfModulesOffline"].value.value, 0);
}

TEST_F(VenusBatteryTest, LossMakesEverythingInvalidAndDisconnected) {
    start_battery();
    publish(total_of_three());
    loop.run([&] { battery->set_disconnected(); });
    auto items = client.get_items(kBatteryName);
    for (const auto& path : kMeasurements) {
        EXPECT_EQ(items[path].value.type, "ai") << path;
        EXPECT_EQ(items[path].text, "---") << path;
    }
    EXPECT_EQ(items["/Connected"].value.value, 0);
    EXPECT_EQ(items["/Serial"].value.value, kSerial);  // identity stays

    publish(total_of_three());
    EXPECT_EQ(client.get_value(kBatteryName, "/Connected").value, 1);
    EXPECT_EQ(client.get_value(kBatteryName, "/System/NrOfBatteries").value, 3);
}

TEST_F(VenusBatteryTest, TheSettingsServiceGivesTheNextFreeBatteryInstance) {
    testsupport::Process settings_service(
        {testsupport::fake_settings_program(), "--occupy", "/Settings/Devices/lynx/ClassAndVrmInstance=battery:512"},
        {{"DBUS_SESSION_BUS_ADDRESS", private_bus.address()}});
    ASSERT_TRUE(settings_service.wait_for_output("ready")) << settings_service.output();
    start_battery();
    EXPECT_EQ(client.get_value(kBatteryName, "/DeviceInstance").value, 513);
    EXPECT_EQ(client.get_value(kSettingsName,
                               std::string("/Settings/Devices/enphase_envoy_battery_") + kSerial + "/ClassAndVrmInstance")
                  .value,
              "battery:513");
}
