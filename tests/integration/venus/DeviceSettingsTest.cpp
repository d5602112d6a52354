// Integration tests of busitem::DeviceSettings against the stand-in settings service
// (tests/support/dbus/FakeSettings.cpp): assigned instances, stored settings and fallbacks.
#include <filesystem>

#include "VenusFixture.hpp"

using namespace dbustest;

namespace {

std::string fake_settings() { return testsupport::fake_settings_program(); }
const std::string kPvSettings = std::string("/Settings/Devices/enphase_envoy_") + kSerial;

}  // namespace

TEST_F(VenusTest, SettingsServiceAssignsTheNextFreeInstance) {
    testsupport::Process settings_service(
        {fake_settings(), "--occupy", "/Settings/Devices/other_inverter/ClassAndVrmInstance=pvinverter:61"},
        {{"DBUS_SESSION_BUS_ADDRESS", private_bus.address()}});
    ASSERT_TRUE(settings_service.wait_for_output("ready")) << settings_service.output();
    start_pv();
    EXPECT_TRUE(loop.run([&] { return settings->from_settings_service(); }));
    EXPECT_EQ(client.get_value(kPvName, "/DeviceInstance").value, 62);
    EXPECT_EQ(client.get_value(kSettingsName, kPvSettings + "/ClassAndVrmInstance").value, "pvinverter:62");

    // Position and custom name go to the settings service, not to the state file.
    EXPECT_EQ(client.set_value(kPvName, "/Position", 2), 0);
    EXPECT_EQ(client.set_value(kPvName, "/CustomName", "Garage"), 0);
    ASSERT_TRUE(testsupport::wait_until(
        [&] { return client.get_value(kSettingsName, kPvSettings + "/CustomName").value == "Garage"; }, 5s));
    EXPECT_EQ(client.get_value(kSettingsName, kPvSettings + "/Position").value, 2);
    EXPECT_FALSE(std::filesystem::exists(state_file()));

    stop_pv();
    start_pv();
    EXPECT_EQ(client.get_value(kPvName, "/Position").value, 2);
    EXPECT_EQ(client.get_value(kPvName, "/CustomName").value, "Garage");
    EXPECT_EQ(client.get_value(kPvName, "/DeviceInstance").value, 62);
}

TEST_F(VenusTest, SilentSettingsServiceFallsBackAtTheDeadline) {
    testsupport::Process settings_service({fake_settings(), "--silent"},
                                          {{"DBUS_SESSION_BUS_ADDRESS", private_bus.address()}});
    ASSERT_TRUE(settings_service.wait_for_output("ready")) << settings_service.output();
    auto started = std::chrono::steady_clock::now();
    start_settings(std::chrono::milliseconds(300));
    auto waited = std::chrono::steady_clock::now() - started;
    EXPECT_GE(waited, std::chrono::milliseconds(300));
    EXPECT_LT(waited, std::chrono::seconds(3));
    EXPECT_FALSE(loop.run([&] { return settings->from_settings_service(); }));
    EXPECT_EQ(loop.run([&] { return settings->instance(); }), 61);
}

TEST_F(VenusTest, AbsentSettingsServiceUsesConfiguredInstanceAndStateFile) {
    testsupport::write_file(state_file(), R"({"enphase_envoy_122233445566": {"Position": 2, "CustomName": "Shed"},
                                              "someone_else": {"CustomName": "kept"}})");
    start_settings();
    EXPECT_FALSE(loop.run([&] { return settings->from_settings_service(); }));
    EXPECT_EQ(loop.run([&] { return settings->instance(); }), 61);
    EXPECT_EQ(loop.run([&] { return settings->position(); }), 2);
    EXPECT_EQ(loop.run([&] { return settings->custom_name(); }), "Shed");
    loop.run([&] { settings->set_custom_name("Barn"); });
    auto state = nlohmann::json::parse(testsupport::read_file(state_file()));
    EXPECT_EQ(state["someone_else"]["CustomName"], "kept");
    EXPECT_EQ(state["enphase_envoy_122233445566"]["CustomName"], "Barn");
    EXPECT_EQ(state["enphase_envoy_122233445566"]["Position"], 2);
}

TEST_F(VenusTest, MalformedStateFileIsIgnored) {
    testsupport::write_file(state_file(), "{ not json");
    start_settings();
    EXPECT_EQ(loop.run([&] { return settings->position(); }), 0);
    EXPECT_EQ(loop.run([&] { return settings->custom_name(); }), "");
}
