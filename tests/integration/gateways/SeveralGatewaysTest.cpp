// Integration: two gateways on one GX (docs/configuration.md "Several gateways", docs/dbus.md
// "Names and presence"). Two simulators with different serials, two daemons started with
// --service-suffix serial on roof.ini and garage.ini in one folder (default state folders), one
// private bus with the stand-in settings service, and one MQTT broker. Each gateway is its own
// PV inverter with its own instance, its own values, files, topics and client id.
#include <gtest/gtest.h>

#include <csignal>
#include <filesystem>
#include <map>
#include <set>

#include "Broker.hpp"
#include "BusClient.hpp"
#include "Harness.hpp"
#include "Subscriber.hpp"
#include "mqtt/ClientId.hpp"

using namespace testsupport;

namespace {

// One gateway of the test: its capture, and what the capture says of it. With --static the
// simulator serves the capture's ivp_meters_readings as they are: the PV power is the
// production meter's activePower there (read with an owner token: the readings source).
struct Gateway {
    const char* name;     // the config file <name>.ini
    const char* capture;
    const char* serial;   // <sn> of the capture's info
    double power_w;       // activePower of the production meter (eid 704643328)
};

constexpr Gateway kRoof{"roof", "8.2.4345_with_device_data", "122446001637", 807.326};
constexpr Gateway kGarage{"garage", "7.6.175_with_cts_3phase", "122238082763", 488.925};
constexpr const char* kSettings = "com.victronenergy.settings";

std::string pv_name(const Gateway& gateway) { return std::string(kPv) + "_" + gateway.serial; }

class SeveralGateways : public ::testing::Test {
protected:
    PrivateBus bus;
    TempDir dir;
    mqtttest::Broker broker;
    std::unique_ptr<Process> settings;
    std::map<std::string, Simulator> sims;
    std::map<std::string, std::unique_ptr<Process>> daemons;
    std::unique_ptr<dbustest::BusClient> client;

    void SetUp() override {
        settings = std::make_unique<Process>(std::vector<std::string>{fake_settings_program()}, bus.environment());
        ASSERT_TRUE(settings->wait_for_output("ready")) << settings->output();
        client = std::make_unique<dbustest::BusClient>(bus.address());
    }

    void start(const Gateway& gateway) {
        sims[gateway.name] = start_simulator(gateway.capture, {"--static"});
        const std::string mqtt = "[MQTT]\nenabled = 1\nbroker_address = 127.0.0.1\nbroker_port = " + std::to_string(broker.port()) + "\n";
        const std::string path = write_gateway_config(dir, gateway.name, sims[gateway.name].address(),
                                                      "token = " + make_token(gateway.capture, "owner") + "\n", mqtt);
        daemons[gateway.name] = std::make_unique<Process>(daemon_command(path, {"--service-suffix", "serial"}), bus.environment());
    }

    Process& daemon(const Gateway& gateway) { return *daemons.at(gateway.name); }

    std::optional<dbustest::Typed> value_of(const std::string& service, const std::string& path) {
        try {
            return client->get_value(service, path);
        } catch (const std::exception&) {
            return std::nullopt;
        }
    }

    bool connected(const Gateway& gateway) {
        return wait_until([&] {
            const auto value = value_of(pv_name(gateway), "/Connected");
            return value && value->value == 1;
        }, 30s);
    }

    void stop(const Gateway& gateway) {
        daemon(gateway).signal(SIGTERM);
        const auto code = daemon(gateway).wait_exit(10s);
        ASSERT_TRUE(code.has_value()) << daemon(gateway).output();
        EXPECT_EQ(*code, 0) << daemon(gateway).output();
    }

    bool in_state_folder(const Gateway& gateway, const std::string& file) {
        return std::filesystem::exists(dir.file(std::string(gateway.name) + "/" + file));
    }
};

TEST_F(SeveralGateways, EachGatewayIsItsOwnDeviceWithItsOwnValuesFilesAndTopics) {
    mqtttest::Subscriber subscriber(broker.port());
    start(kRoof);
    start(kGarage);
    ASSERT_TRUE(connected(kRoof)) << daemon(kRoof).output();
    ASSERT_TRUE(connected(kGarage)) << daemon(kGarage).output();

    // Two devices, each with its gateway's serial and power, and the plain names stay free.
    for (const Gateway& gateway : {kRoof, kGarage}) {
        EXPECT_EQ(client->get_value(pv_name(gateway), "/Serial").value, gateway.serial);
        EXPECT_NEAR(client->get_value(pv_name(gateway), "/Ac/Power").value.get<double>(), gateway.power_w, 1e-3) << gateway.name;
    }
    EXPECT_FALSE(value_of(kPv, "/Serial").has_value());

    // The settings service allocated two instances: the default 61 to whoever asked first, the
    // next free one to the other.
    const int roof = client->get_value(pv_name(kRoof), "/DeviceInstance").value;
    const int garage = client->get_value(pv_name(kGarage), "/DeviceInstance").value;
    EXPECT_EQ(std::set<int>({roof, garage}), std::set<int>({61, 62}));
    EXPECT_EQ(client->get_value(kSettings, "/Settings/Devices/enphase_envoy_122446001637/ClassAndVrmInstance").value,
              "pvinverter:" + std::to_string(roof));
    EXPECT_EQ(client->get_value(kSettings, "/Settings/Devices/enphase_envoy_122238082763/ClassAndVrmInstance").value,
              "pvinverter:" + std::to_string(garage));

    // MQTT: each its availability and meters topics, and its own client id.
    for (const Gateway& gateway : {kRoof, kGarage}) {
        const std::string base = std::string("enphase/envoy-s/") + gateway.name + "/";
        EXPECT_TRUE(wait_until([&] { return subscriber.last(base + "status") == "online"; }, 20s)) << gateway.name;
        EXPECT_TRUE(wait_until([&] { return subscriber.count(base + "meters") > 0; }, 20s)) << gateway.name;
        const auto id = daemon(gateway).wait_for_match(R"(MQTT: connected to broker 127\.0\.0\.1:[0-9]+ as (\S+))", 10s);
        ASSERT_TRUE(id.has_value()) << daemon(gateway).output();
        EXPECT_EQ(*id, "EnphaseEnvoyPV_" + mqtt::local_unique_id() + "-" + gateway.name);
    }
    EXPECT_EQ(subscriber.count("enphase/envoy-s/status"), 0u);
    EXPECT_EQ(subscriber.count("enphase/envoy-s/meters"), 0u);

    // Files: in the folders roof/ and garage/ beside the config files, none beside them. The
    // key pin and the serial come with the first contact; device-settings.json takes a name
    // set while the settings service is away.
    settings->signal(SIGKILL);
    settings->wait_exit(5s);
    for (const Gateway& gateway : {kRoof, kGarage}) {
        ASSERT_TRUE(daemon(gateway).wait_for_output("left the bus")) << daemon(gateway).output();
        EXPECT_EQ(client->set_value(pv_name(gateway), "/CustomName", std::string("PV ") + gateway.name), 0);
        EXPECT_TRUE(wait_until([&] { return in_state_folder(gateway, "device-settings.json"); }, 10s)) << gateway.name;
        EXPECT_EQ(read_file(dir.file(std::string(gateway.name) + "/gateway-serial")), std::string(gateway.serial) + "\n");
        EXPECT_TRUE(in_state_folder(gateway, "gateway-" + std::string(gateway.serial) + ".pin")) << gateway.name;
        const std::string saved = read_file(dir.file(std::string(gateway.name) + "/device-settings.json"));
        EXPECT_NE(saved.find("\"enphase_envoy_" + std::string(gateway.serial) + "\""), std::string::npos) << saved;
        EXPECT_NE(saved.find("\"PV " + std::string(gateway.name) + "\""), std::string::npos) << saved;
    }
    for (const char* file : {"gateway-serial", "device-settings.json", "token.cache"}) {
        EXPECT_FALSE(std::filesystem::exists(dir.file(file))) << file;
    }
    stop(kRoof);
    stop(kGarage);
}

}  // namespace
