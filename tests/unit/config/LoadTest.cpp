// Tests of config::load(): defaults, the upstream-style file, [DEFAULT] inheritance, key case,
// minimum raising, unknown keys, paths, syntax errors and unreadable files.
#include <gtest/gtest.h>

#include <filesystem>

#include "ConfigFile.hpp"

using configtest::ConfigFile;
using configtest::minimal;
using Firmware = model::FirmwareChoice;

TEST(ConfigLoad, MinimalFileGivesDocumentedDefaults) {
    ConfigFile file(minimal());
    const config::Config c = file.load();
    EXPECT_TRUE(file.warnings.empty());
    EXPECT_EQ(c.path, file.path);
    EXPECT_EQ(c.log_level, logging::Level::Warning);
    EXPECT_EQ(c.envoy.host, "192.168.1.50");
    EXPECT_FALSE(c.envoy.port);
    EXPECT_FALSE(c.envoy.scheme);
    EXPECT_EQ(c.envoy.firmware, Firmware::Auto);
    EXPECT_EQ(c.envoy.fetch_production_historic_interval, 3600);
    EXPECT_EQ(c.envoy.stream_timeout, 5);
    EXPECT_EQ(c.envoy.request_timeout, 10);
    EXPECT_EQ(c.envoy.token_cache, file.dir.file("token.cache"));
    EXPECT_EQ(c.pv.max, 700);
    EXPECT_EQ(c.pv.position, 0);
    EXPECT_EQ(c.pv.inverter_count, 0);
    EXPECT_EQ(c.pv.device_instance, 61);
    EXPECT_EQ(c.pv.custom_name, "");
    EXPECT_FALSE(c.grid.enabled);
    EXPECT_EQ(c.grid.device_instance, 31);
    EXPECT_FALSE(c.battery.enabled);
    EXPECT_EQ(c.battery.device_instance, 512);
    EXPECT_FALSE(c.data.devices.enabled);
    EXPECT_EQ(c.data.devices.interval, 3600);
    EXPECT_EQ(c.data.inverters.interval, 300);
    EXPECT_EQ(c.data.events.interval, 3600);
    EXPECT_FALSE(c.data.events.publish_always);
    EXPECT_FALSE(c.mqtt.enabled);
    EXPECT_EQ(c.mqtt.broker_port, 1883);
    EXPECT_EQ(c.mqtt.publish_interval, 5);
    EXPECT_FALSE(c.mqtt.retain);
    EXPECT_EQ(c.mqtt.topic_meters, "enphase/envoy-s/meters");
    EXPECT_EQ(c.mqtt.topic_inverters, "enphase/envoy-s/inverters");
    EXPECT_EQ(c.mqtt.topic_devices, "enphase/envoy-s/devices");
    EXPECT_EQ(c.mqtt.topic_events, "enphase/envoy-s/events");
    EXPECT_EQ(c.mqtt.topic_battery, "enphase/envoy-s/battery");
    EXPECT_EQ(c.mqtt.topic_availability, "enphase/envoy-s/status");
    EXPECT_EQ(c.mqtt.client_id, "");
    EXPECT_EQ(c.energy.state_dir, file.dir.path());
    EXPECT_EQ(c.energy.volatile_dir, "/run/dbus-enphase-envoy");
    EXPECT_EQ(c.energy.flush_interval, 900);
}

TEST(ConfigLoad, UpstreamStyleFileLoadsWithItsValues) {
    std::vector<std::string> warnings;
    const config::Config c = config::load(testsupport::test_data("config/upstream.ini"), warnings);
    EXPECT_TRUE(warnings.empty()) << warnings.front();
    EXPECT_EQ(c.log_level, logging::Level::Warning);
    EXPECT_EQ(c.envoy.host, "192.168.1.80");
    EXPECT_EQ(c.envoy.firmware, Firmware::Token);
    EXPECT_EQ(c.envoy.firmware_text, "D7");
    EXPECT_EQ(c.envoy.password, "12345678");
    EXPECT_EQ(c.envoy.serial, "122112123456");
    EXPECT_EQ(c.envoy.enlighten_user, "someone@example.com");
    EXPECT_EQ(c.envoy.enlighten_password, "cloud-secret-xyz");
    EXPECT_EQ(c.pv.max, 3500);
    EXPECT_EQ(c.pv.position, 1);
    EXPECT_EQ(c.pv.inverter_count, 10);
    EXPECT_EQ(c.pv.inverter_type, "IQ7A");
    EXPECT_TRUE(c.data.devices.enabled);
    EXPECT_FALSE(c.data.devices.publish_always);
    EXPECT_TRUE(c.data.inverters.enabled);
    EXPECT_EQ(c.data.inverters.interval, 300);
    EXPECT_TRUE(c.data.inverters.publish_always);
    EXPECT_TRUE(c.data.events.enabled);
    EXPECT_TRUE(c.mqtt.enabled);
    EXPECT_EQ(c.mqtt.broker_address, "127.0.0.1");
    EXPECT_EQ(c.mqtt.username, "myuser");
    EXPECT_EQ(c.mqtt.password, "mqtt-secret-abc");
    EXPECT_FALSE(c.mqtt.tls_enabled);
    EXPECT_FALSE(c.grid.enabled);
}

TEST(ConfigLoad, DefaultSectionKeysReachEverySectionAndSectionsOverrideThem) {
    ConfigFile file(
        "[DEFAULT]\nlogging = debug\nmax = 900\nposition = 2\nretain = yes\nfetch_events = on\n"
        "[ENVOY]\naddress = envoy.local\n"
        "[PV]\nposition = 1\n");
    const config::Config c = file.load();
    EXPECT_TRUE(file.warnings.empty()) << file.warnings.front();
    EXPECT_EQ(c.log_level, logging::Level::Debug);
    EXPECT_EQ(c.pv.max, 900);
    EXPECT_EQ(c.pv.position, 1);
    EXPECT_TRUE(c.mqtt.retain);
    EXPECT_TRUE(c.data.events.enabled);
}

TEST(ConfigLoad, DefaultSectionAddressIsEnough) {
    ConfigFile file("[DEFAULT]\naddress = 10.0.0.7\n");
    EXPECT_EQ(file.load().envoy.host, "10.0.0.7");
}

TEST(ConfigLoad, BadValueInDefaultSectionNamesDefault) {
    ConfigFile file(minimal() + "[DEFAULT]\nmax = lots\n");
    EXPECT_EQ(file.error(), file.path + ": [DEFAULT] max = lots: expected the rated power in watts, from 1 to 1000000");
}

TEST(ConfigLoad, KeysAreCaseInsensitiveAndValuesTrimmed) {
    ConfigFile file("[ENVOY]\nADDRESS =   192.168.1.9   \n[PV]\nMax: 1200\n  Position = 2\n[MQTT]\nRetain = TRUE\n");
    const config::Config c = file.load();
    EXPECT_EQ(c.envoy.host, "192.168.1.9");
    EXPECT_EQ(c.pv.max, 1200);
    EXPECT_EQ(c.pv.position, 2);
    EXPECT_TRUE(c.mqtt.retain);
}

TEST(ConfigLoad, BooleanWordsOfConfigparserAreAccepted) {
    for (const auto& [word, expected] : std::vector<std::pair<std::string, bool>>{
             {"1", true}, {"true", true}, {"Yes", true}, {"ON", true},
             {"0", false}, {"false", false}, {"no", false}, {"Off", false}}) {
        ConfigFile file(minimal("[GRID]\nenabled = " + word + "\n"));
        EXPECT_EQ(file.load().grid.enabled, expected) << word;
    }
}

TEST(ConfigLoad, SemicolonInsideValueIsNotAComment) {
    ConfigFile file(minimal("password = abc ;def\n[PV]\ninverter_type = IQ7A # plus\n"));
    const config::Config c = file.load();
    EXPECT_EQ(c.envoy.password, "abc ;def");
    EXPECT_EQ(c.pv.inverter_type, "IQ7A # plus");
}

TEST(ConfigLoad, CommentLinesAndEmptyValuesAreIgnored) {
    ConfigFile file("; comment\n# comment\n[ENVOY]\n  ; indented comment\naddress = 192.168.1.50\npassword =\n"
                    "[PV]\nmax =\ninverter_count =\n");
    const config::Config c = file.load();
    EXPECT_EQ(c.envoy.password, "");
    EXPECT_EQ(c.pv.max, 700);
    EXPECT_EQ(c.pv.inverter_count, 0);
}

TEST(ConfigLoad, LongTokenLineIsReadWhole) {
    const std::string token = "eyJhbGciOiJFUzI1NiJ9." + std::string(1500, 'a') + "." + std::string(100, 'b');
    ConfigFile file(minimal("token = " + token + "\n"));
    EXPECT_EQ(file.load().envoy.token, token);
}

TEST(ConfigLoad, IntervalsBelowTheirMinimumAreRaisedWithAWarning) {
    ConfigFile file(minimal(
        "fetch_production_historic_interval = 60\n"
        "[DATA]\nfetch_devices_interval = 10\nfetch_inverters_interval = 5\nfetch_events_interval = 0\n"
        "[MQTT]\npublish_interval = -3\n[ENERGY]\nflush_interval = 59\n"));
    const config::Config c = file.load();
    EXPECT_EQ(c.envoy.fetch_production_historic_interval, 900);
    EXPECT_EQ(c.data.devices.interval, 60);
    EXPECT_EQ(c.data.inverters.interval, 60);
    EXPECT_EQ(c.data.events.interval, 900);
    EXPECT_EQ(c.mqtt.publish_interval, 1);
    EXPECT_EQ(c.energy.flush_interval, 60);
    const std::vector<std::string> expected = {
        "[ENVOY] fetch_production_historic_interval = 60 is below the minimum 900 s; using 900",
        "[DATA] fetch_devices_interval = 10 is below the minimum 60 s; using 60",
        "[DATA] fetch_inverters_interval = 5 is below the minimum 60 s; using 60",
        "[DATA] fetch_events_interval = 0 is below the minimum 900 s; using 900",
        "[MQTT] publish_interval = -3 is below the minimum 1 s; using 1",
        "[ENERGY] flush_interval = 59 is below the minimum 60 s; using 60",
    };
    EXPECT_EQ(file.warnings, expected);
}

TEST(ConfigLoad, IntervalsAtTheirMinimumAreKeptSilently) {
    ConfigFile file(minimal("[DATA]\nfetch_devices_interval = 60\nfetch_events_interval = 900\n"));
    const config::Config c = file.load();
    EXPECT_EQ(c.data.devices.interval, 60);
    EXPECT_EQ(c.data.events.interval, 900);
    EXPECT_TRUE(file.warnings.empty());
}

TEST(ConfigLoad, UnknownKeysAndSectionsAreWarningsNamingThem) {
    ConfigFile file(minimal("adress = 1.2.3.4\n[PV]\nbroker_port = 1\n[DATA]\nfetch_device = 1\n"
                            "[FOO]\na = 1\nb = 2\n[DEFAULT]\nloging = INFO\n"));
    file.load();
    const std::vector<std::string> expected = {
        "[ENVOY] adress is not a known key; ignored",
        "[PV] broker_port is not a known key; ignored (it belongs in [MQTT])",
        "[DATA] fetch_device is not a known key; ignored",
        "[FOO] is not a known section; its keys are ignored",
        "[DEFAULT] loging is not a known key; ignored",
    };
    EXPECT_EQ(file.warnings, expected);
}

TEST(ConfigLoad, KeyInTwoSectionsGetsBothInTheHint) {
    ConfigFile file(minimal("[PV]\nenabled = 1\n"));
    file.load();
    ASSERT_EQ(file.warnings.size(), 1u);
    EXPECT_EQ(file.warnings[0], "[PV] enabled is not a known key; ignored (it belongs in [GRID], [BATTERY] or [MQTT])");
}

TEST(ConfigLoad, DuplicateKeyUsesTheLastValueWithAWarning) {
    ConfigFile file(minimal("[PV]\nmax = 100\nmax = 200\n"));
    EXPECT_EQ(file.load().pv.max, 200);
    ASSERT_EQ(file.warnings.size(), 1u);
    EXPECT_EQ(file.warnings[0], "[PV] max is set more than once; using the last value");
}

TEST(ConfigLoad, RelativePathsAreRelativeToTheConfigFile) {
    ConfigFile file(minimal("token_cache = cache/token.json\n[ENERGY]\nstate_dir = energy/\nvolatile_dir = /tmp/x/../vol\n"));
    const config::Config c = file.load();
    EXPECT_EQ(c.envoy.token_cache, file.dir.file("cache/token.json"));
    EXPECT_EQ(c.energy.state_dir, file.dir.file("energy"));
    EXPECT_EQ(c.energy.volatile_dir, "/tmp/vol");
}

TEST(ConfigLoad, NewKeysAreRead) {
    testsupport::TempDir other;
    testsupport::write_file(other.file("ca.crt"), "certificate");
    ConfigFile file(minimal(
        "stream_timeout = 2\nrequest_timeout = 120\nfirmware = R4.10.35\n"
        "[PV]\ndevice_instance = 0\ncustom_name = Roof West\n[GRID]\nenabled = 1\ndevice_instance = 999\n"
        "[BATTERY]\nenabled = 1\ndevice_instance = 288\n"
        "[MQTT]\nenabled = 1\nbroker_address = broker.lan\ntls_enabled = 1\ntls_path_to_ca = " + other.file("ca.crt") +
        "\nretain = 1\ntopic_availability = a/b\ntopic_battery = site/storage\nclient_id = me\n[ENERGY]\nflush_interval = 3600\n"));
    const config::Config c = file.load();
    EXPECT_TRUE(file.warnings.empty()) << file.warnings.front();
    EXPECT_EQ(c.envoy.stream_timeout, 2);
    EXPECT_EQ(c.envoy.request_timeout, 120);
    EXPECT_EQ(c.envoy.firmware, Firmware::Pre7);
    EXPECT_EQ(c.pv.device_instance, 0);
    EXPECT_EQ(c.pv.custom_name, "Roof West");
    EXPECT_TRUE(c.grid.enabled);
    EXPECT_EQ(c.grid.device_instance, 999);
    EXPECT_TRUE(c.battery.enabled);
    EXPECT_EQ(c.battery.device_instance, 288);
    EXPECT_TRUE(c.mqtt.tls_enabled);
    EXPECT_EQ(c.mqtt.tls_path_to_ca, other.file("ca.crt"));
    EXPECT_TRUE(c.mqtt.retain);
    EXPECT_EQ(c.mqtt.topic_availability, "a/b");
    EXPECT_EQ(c.mqtt.topic_battery, "site/storage");
    EXPECT_EQ(c.mqtt.client_id, "me");
    EXPECT_EQ(c.energy.flush_interval, 3600);
}

TEST(ConfigLoad, CaFileIsNotCheckedWhileMqttIsOff) {
    ConfigFile file(minimal("[MQTT]\ntls_enabled = 1\ntls_path_to_ca = /nonexistent/ca.crt\n"));
    EXPECT_EQ(file.error(), "");
}

TEST(ConfigLoad, MissingFileIsOneClearError) {
    testsupport::TempDir dir;
    std::vector<std::string> warnings;
    const std::string path = dir.file("missing.ini");
    try {
        config::load(path, warnings);
        FAIL() << "no error";
    } catch (const config::ConfigError& e) {
        EXPECT_EQ(std::string(e.what()), "cannot read config file " + path + ": No such file or directory");
    }
}

TEST(ConfigLoad, DirectoryInsteadOfFileIsAnError) {
    testsupport::TempDir dir;
    std::vector<std::string> warnings;
    try {
        config::load(dir.path(), warnings);
        FAIL() << "no error";
    } catch (const config::ConfigError& e) {
        EXPECT_EQ(std::string(e.what()), "cannot read config file " + dir.path() + ": Is a directory");
    }
}

TEST(ConfigLoad, SyntaxErrorsNameTheLine) {
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"[ENVOY\naddress = 1.2.3.4\n", "line 1: section header without a closing ']'"},
        {"[ENVOY]\naddress 192.168.1.50\n", "line 2: expected 'key = value', a [SECTION] header or a comment"},
        {"address = 192.168.1.50\n[ENVOY]\n", "line 1: key outside any section; put it below a [SECTION] header"},
        {"[ENVOY]\n; fine\n\n= 192.168.1.50\n", "line 4: a key name is missing before '='"},
    };
    for (const auto& [text, problem] : cases) {
        ConfigFile file(text);
        EXPECT_EQ(file.error(), file.path + ": " + problem) << text;
    }
}

TEST(ConfigLoad, OverlongLineIsAnError) {
    ConfigFile file(minimal("; " + std::string(20000, 'x') + "\n"));
    EXPECT_EQ(file.error(), file.path + ": line 3: longer than 16381 characters");
}
