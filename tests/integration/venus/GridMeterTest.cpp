// Integration tests of venus::GridMeter through an independent D-Bus client.
#include <set>

#include "VenusFixture.hpp"

using namespace dbustest;

namespace {

std::set<std::string> grid_paths(int phases) {
    std::set<std::string> paths = {
        "/Mgmt/ProcessName", "/Mgmt/ProcessVersion", "/Mgmt/Connection", "/DeviceInstance", "/ProductId",
        "/ProductName", "/CustomName", "/FirmwareVersion", "/HardwareVersion", "/Serial", "/Connected",
        "/ErrorCode", "/UpdateIndex", "/Role", "/Ac/Power", "/Ac/Energy/Forward", "/Ac/Energy/Reverse",
        "/Ac/NumberOfPhases"};
    for (int i = 1; i <= phases; ++i) {
        for (const char* leaf :
             {"Power", "Current", "Voltage", "Frequency", "PowerFactor", "Energy/Forward", "Energy/Reverse"}) {
            paths.insert("/Ac/L" + std::to_string(i) + "/" + leaf);
        }
    }
    return paths;
}

}  // namespace

class VenusGridMeterTest : public VenusTest {
protected:
    void start_grid() {
        loop.run([&] {
            bus = std::make_unique<busitem::Bus>(loop.loop());
            grid_settings = std::make_unique<busitem::DeviceSettings>(
                *bus, venus::grid_meter_settings(kSerial, venus::kGridDefaultInstance, state_file()));
            grid_settings->start([] {});
        });
        ASSERT_TRUE(testsupport::wait_until([&] { return loop.run([&] { return grid_settings->ready(); }); }, 5s));
        loop.run([&] { grid = std::make_unique<venus::GridMeter>(*bus, identity(), *grid_settings); });
    }
};

TEST_F(VenusGridMeterTest, ThreePhaseGridExportsMeterPaths) {
    start_grid();
    loop.run([&] { grid->publish(grid_snapshot(3)); });
    auto items = client.get_items(kGridName);
    std::set<std::string> keys;
    for (const auto& [path, item] : items) keys.insert(path);
    EXPECT_EQ(keys, grid_paths(3));
    EXPECT_EQ(items["/Role"].value.value, "grid");
    EXPECT_EQ(items["/DeviceInstance"].value.value, 31);
    EXPECT_EQ(items["/Ac/Power"].value.type, "d");
    EXPECT_DOUBLE_EQ(items["/Ac/Power"].value.value.get<double>(), -600.0);
    EXPECT_EQ(items["/Ac/Power"].text, "-600W");
    EXPECT_EQ(items["/Ac/Energy/Forward"].text, "1501.25kWh");
    EXPECT_EQ(items["/Ac/Energy/Reverse"].text, "2103.50kWh");
    EXPECT_EQ(items["/Ac/L2/PowerFactor"].text, "-0.95");
    EXPECT_DOUBLE_EQ(items["/Ac/L3/Energy/Reverse"].value.value.get<double>(), 702.0);
    EXPECT_EQ(items["/Ac/NumberOfPhases"].value.value, 3);
    EXPECT_EQ(items["/Connected"].value.value, 1);
}

TEST_F(VenusGridMeterTest, OnePhaseGridAndDisconnect) {
    start_grid();
    loop.run([&] { grid->publish(grid_snapshot(1)); });
    auto items = client.get_items(kGridName);
    EXPECT_EQ(items.size(), grid_paths(1).size());
    EXPECT_EQ(items.count("/Ac/L2/Power"), 0u);
    loop.run([&] { grid->set_disconnected(); });
    EXPECT_EQ(client.get_value(kGridName, "/Ac/Power").type, "ai");
    EXPECT_EQ(client.get_value(kGridName, "/Ac/L1/Energy/Forward").type, "ai");
    EXPECT_EQ(client.get_value(kGridName, "/Connected").value, 0);
}
