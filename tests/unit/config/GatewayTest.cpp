// Tests of the gateway name a config file's name gives and of the per-gateway defaults
// (config/Gateway.hpp, docs/configuration.md "Several gateways"): config.ini keeps today's
// defaults, garage.ini gets its own folder, token cache, RAM folder and MQTT topics, and a key
// the file sets always wins.
#include <gtest/gtest.h>

#include <ostream>

#include "ConfigFile.hpp"

using configtest::ConfigFile;
using configtest::minimal;

namespace {

// The values whose defaults depend on the gateway's name.
struct PerGateway {
    std::string state_dir;
    std::string token_cache;
    std::string volatile_dir;
    std::string topic_meters;
    std::string topic_inverters;
    std::string topic_devices;
    std::string topic_events;
    std::string topic_battery;
    std::string topic_availability;
    bool operator==(const PerGateway&) const = default;
};

PerGateway per_gateway(const config::Config& c) {
    const auto& m = c.mqtt;
    return {c.energy.state_dir, c.envoy.token_cache, c.energy.volatile_dir, m.topic_meters, m.topic_inverters,
            m.topic_devices, m.topic_events, m.topic_battery, m.topic_availability};
}

void PrintTo(const PerGateway& v, std::ostream* out) {
    *out << "{" << v.state_dir << ", " << v.token_cache << ", " << v.volatile_dir << ", " << v.topic_meters << ", "
         << v.topic_inverters << ", " << v.topic_devices << ", " << v.topic_events << ", " << v.topic_battery << ", "
         << v.topic_availability << "}";
}

}  // namespace

TEST(ConfigGateway, ConfigIniIsTheDefaultGatewayWithTheTableDefaults) {
    ConfigFile file(minimal());
    const config::Config c = file.load();
    EXPECT_EQ(c.gateway_name, "");
    EXPECT_EQ(per_gateway(c), (PerGateway{file.dir.path(), file.dir.file("token.cache"), "/run/dbus-enphase-envoy",
                                          "enphase/envoy-s/meters", "enphase/envoy-s/inverters", "enphase/envoy-s/devices",
                                          "enphase/envoy-s/events", "enphase/envoy-s/battery", "enphase/envoy-s/status"}));
}

TEST(ConfigGateway, ANamedGatewayGetsItsOwnFoldersAndTopics) {
    ConfigFile file(minimal(), "garage.ini");
    const config::Config c = file.load();
    EXPECT_TRUE(file.warnings.empty()) << file.warnings.front();
    EXPECT_EQ(c.gateway_name, "garage");
    EXPECT_EQ(per_gateway(c),
              (PerGateway{file.dir.file("garage"), file.dir.file("garage/token.cache"), "/run/dbus-enphase-envoy/garage",
                          "enphase/envoy-s/garage/meters", "enphase/envoy-s/garage/inverters",
                          "enphase/envoy-s/garage/devices", "enphase/envoy-s/garage/events",
                          "enphase/envoy-s/garage/battery", "enphase/envoy-s/garage/status"}));
    EXPECT_EQ(c.mqtt.client_id, "");
}

TEST(ConfigGateway, TheTokenCacheFollowsAConfiguredStateDir) {
    ConfigFile file(minimal("[ENERGY]\nstate_dir = /data/roof-state\n"), "roof.ini");
    const config::Config c = file.load();
    EXPECT_EQ(c.energy.state_dir, "/data/roof-state");
    EXPECT_EQ(c.envoy.token_cache, "/data/roof-state/token.cache");
}

TEST(ConfigGateway, KeysTheFileSetsWin) {
    ConfigFile file(minimal("token_cache = cache/roof.token\n"
                            "[MQTT]\ntopic_meters = house/pv\ntopic_availability = house/pv/status\n"
                            "[ENERGY]\nstate_dir = shared\nvolatile_dir = /run/pv\n"),
                    "roof.ini");
    const config::Config c = file.load();
    EXPECT_EQ(c.gateway_name, "roof");
    EXPECT_EQ(per_gateway(c), (PerGateway{file.dir.file("shared"), file.dir.file("cache/roof.token"), "/run/pv", "house/pv",
                                          "enphase/envoy-s/roof/inverters", "enphase/envoy-s/roof/devices",
                                          "enphase/envoy-s/roof/events", "enphase/envoy-s/roof/battery", "house/pv/status"}));
}

TEST(ConfigGateway, AnEmptyValueIsTheGatewayDefault) {
    ConfigFile file(minimal("[ENERGY]\nstate_dir =\n"), "roof.ini");
    EXPECT_EQ(file.load().energy.state_dir, file.dir.file("roof"));
}

TEST(ConfigGateway, NamesOfLettersDigitsUnderscoreAndDashAreAccepted) {
    for (const std::string name : {"a", "Roof_2", "east-wing", "abcdefghijklmnopqrstuvwxyz012345"}) {
        ConfigFile file(minimal(), name + ".ini");
        EXPECT_EQ(file.load().gateway_name, name);
    }
}

TEST(ConfigGateway, AnUnusableNameIsOneClearError) {
    for (const std::string name : {"roof west", "roof.west", "abcdefghijklmnopqrstuvwxyz0123456", "dach\xc3\xa4"}) {
        ConfigFile file(minimal(), name + ".ini");
        EXPECT_EQ(file.error(), file.path + ": the file name gives the gateway name \"" + name +
                                    "\"; expected config.ini, or a name of 1 to 32 letters, digits, _ or - such as "
                                    "garage.ini")
            << name;
    }
}
