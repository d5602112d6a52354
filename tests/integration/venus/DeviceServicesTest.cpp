// Integration test of app::DeviceServices' battery: registered for the PV inverter's serial
// with its settings first, under the "_<serial>" name with --service-suffix serial, its ready
// hook called once it is on the bus, and gone with clear().
#include "VenusFixture.hpp"
#include "app/DeviceServices.hpp"

using namespace dbustest;

namespace {

const std::string kSuffixedBattery = std::string("com.victronenergy.battery.enphase_envoy_") + kSerial;
const std::string kSuffixedPv = std::string(kPvName) + "_" + kSerial;

}  // namespace

class DeviceServicesBatteryTest : public VenusTest {
protected:
    void TearDown() override {
        loop.run([this] { services.reset(); });
        VenusTest::TearDown();
    }

    void start_services(app::ServiceSuffix suffix) {
        config.energy.state_dir = dir.path();
        config.battery.enabled = true;
        config.battery.device_instance = 512;
        config.pv.device_instance = 61;
        config.grid.device_instance = 31;
        app::DeviceHooks hooks;
        hooks.identity = [](const std::string& serial, int instance) {
            auto id = identity();
            id.serial = serial;
            id.default_instance = instance;
            return id;
        };
        hooks.pv_ready = [](venus::PvInverter&) {};
        hooks.grid_ready = [](venus::GridMeter&) {};
        hooks.fatal = [this](const std::string& message, int) { fatal = message; };
        hooks.battery_ready = [this](venus::Battery&) { ++battery_ready; };
        loop.run([&] {
            bus = std::make_unique<busitem::Bus>(loop.loop());
            services = std::make_unique<app::DeviceServices>(*bus, config, suffix, hooks);
            services->add_pv_inverter(kSerial);
            services->add_battery();
        });
    }

    config::Config config;
    std::unique_ptr<app::DeviceServices> services;
    int battery_ready = 0;  // touched on the loop thread only
    std::string fatal;
};

TEST_F(DeviceServicesBatteryTest, TheBatteryComesUnderTheSuffixedNameAndGoesWithClear) {
    start_services(app::ServiceSuffix::Serial);
    EXPECT_TRUE(loop.run([&] { return services->battery_added(); }));
    ASSERT_TRUE(testsupport::wait_until([&] { return loop.run([&] { return battery_ready == 1; }); }, 5s));
    EXPECT_TRUE(loop.run([&] { return services->battery() != nullptr; }));
    EXPECT_EQ(client.get_value(kSuffixedBattery, "/DeviceInstance").value, 512);
    EXPECT_EQ(client.get_value(kSuffixedBattery, "/Serial").value, kSerial);
    EXPECT_EQ(client.get_value(kSuffixedBattery, "/Connected").value, 0);
    EXPECT_EQ(client.get_value(kSuffixedBattery, "/Soc").type, "ai");
    ASSERT_TRUE(testsupport::wait_until([&] { return loop.run([&] { return services->pv() != nullptr; }); }, 5s));

    model::BatteryTotal total;
    total.soc = 80.0;
    total.count = 1;
    total.online = 1;
    loop.run([&] { services->battery()->publish(total); });
    EXPECT_EQ(client.get_value(kSuffixedBattery, "/Connected").value, 1);
    EXPECT_EQ(client.get_value(kSuffixedBattery, "/Soc").value, 80.0);

    loop.run([&] { services->clear(); });
    EXPECT_FALSE(loop.run([&] { return services->battery_added(); }));
    EXPECT_TRUE(loop.run([&] { return services->battery() == nullptr; }));
    EXPECT_EQ(client.call_error(kSuffixedBattery, "/Soc", "GetValue"), "org.freedesktop.DBus.Error.ServiceUnknown");
    EXPECT_EQ(client.call_error(kSuffixedPv, "/Connected", "GetValue"), "org.freedesktop.DBus.Error.ServiceUnknown");
    EXPECT_EQ(loop.run([&] { return fatal; }), "");
}

TEST_F(DeviceServicesBatteryTest, WithoutASuffixTheNameIsThePlainOne) {
    start_services(app::ServiceSuffix::None);
    ASSERT_TRUE(testsupport::wait_until([&] { return loop.run([&] { return battery_ready == 1; }); }, 5s));
    EXPECT_EQ(client.get_value("com.victronenergy.battery.enphase_envoy", "/ProductName").value, "Enphase Envoy battery");
    EXPECT_EQ(app::service_name(venus::kBatteryServiceName, app::ServiceSuffix::Serial, "1"),
              "com.victronenergy.battery.enphase_envoy_1");
}
