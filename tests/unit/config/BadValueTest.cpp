// Table-driven tests: every key with a type gets a wrong-type and an out-of-range value, and
// each must give exactly one expected error line.
#include <gtest/gtest.h>

#include "ConfigFile.hpp"

using configtest::ConfigFile;

namespace {

struct BadValue {
    std::string section;  // the section the bad line goes in
    std::string line;     // "key = value"
    std::string message;  // the error after "<path>: "
    std::string context = "";  // extra lines in the same section
};

const std::string kSeconds60 = "a whole number of seconds up to 604800 (minimum 60)";
const std::string kSeconds900 = "a whole number of seconds up to 604800 (minimum 900)";
const std::string kBool = "1 or 0 (also true/false, yes/no, on/off)";
const std::string kInstance = "a device instance from 0 to 999";
const std::string kPublishing = "0 (publish on change) or 1 (publish on every fetch)";
const std::string kPosition = "0 (AC input 1), 1 (AC output) or 2 (AC input 2)";
const std::string kMax = "the rated power in watts, from 1 to 1000000";
const std::string kCount = "the number of microinverters from 0 to 10000 (0 = ask the gateway)";
const std::string kPort = "a port from 1 to 65535";
const std::string kTopic = "an MQTT topic without the wildcards + and #";
const std::string kFirmware = "auto, D5 (firmware before 7), D7 (firmware 7 and later) or a version such as D7.6.175";
const std::string kCloudUrl = "an https:// URL (http:// only with cloud_ca_file, for tests)";
const std::string kBroker = "the IP address or host name of the MQTT broker (MQTT is enabled)";

std::vector<BadValue> bad_values() {
    std::vector<BadValue> rows = {
        {"DEFAULT", "logging = VERBOSE", "[DEFAULT] logging = VERBOSE: expected ERROR, WARNING, INFO or DEBUG"},
        {"DEFAULT", "logging = 3", "[DEFAULT] logging = 3: expected ERROR, WARNING, INFO or DEBUG"},
        {"ENVOY", "firmware = X7", "[ENVOY] firmware = X7: expected " + kFirmware},
        {"ENVOY", "firmware = D2", "[ENVOY] firmware = D2: expected " + kFirmware},
        {"ENVOY", "firmware = D7.a.1", "[ENVOY] firmware = D7.a.1: expected " + kFirmware},
        {"ENVOY", "fetch_production_historic_interval = hourly",
         "[ENVOY] fetch_production_historic_interval = hourly: expected " + kSeconds900},
        {"ENVOY", "fetch_production_historic_interval = 604801",
         "[ENVOY] fetch_production_historic_interval = 604801: expected " + kSeconds900},
        {"ENVOY", "stream_timeout = 5s", "[ENVOY] stream_timeout = 5s: expected a whole number of seconds from 2 to 60"},
        {"ENVOY", "stream_timeout = 1", "[ENVOY] stream_timeout = 1: expected a whole number of seconds from 2 to 60"},
        {"ENVOY", "stream_timeout = 61", "[ENVOY] stream_timeout = 61: expected a whole number of seconds from 2 to 60"},
        {"ENVOY", "source_retry_interval = 4", "[ENVOY] source_retry_interval = 4: expected a whole number of seconds from 5 to 86400"},
        {"ENVOY", "request_timeout = 2.5", "[ENVOY] request_timeout = 2.5: expected a whole number of seconds from 2 to 120"},
        {"ENVOY", "request_timeout = 121", "[ENVOY] request_timeout = 121: expected a whole number of seconds from 2 to 120"},
        {"ENVOY", "serial = 1221-1212", "[ENVOY] serial = 1221-1212: expected the gateway serial number (letters and digits only)"},
        {"ENVOY", "certificate = yes",
         "[ENVOY] certificate = yes: expected auto (the gateway's key at first contact), any (no check: insecure) or a "
         "key pin sha256//<44 base64 characters>"},
        {"ENVOY", "enlighten_login_url = ftp://x", "[ENVOY] enlighten_login_url = ftp://x: expected " + kCloudUrl},
        {"ENVOY", "entrez_token_url = entrez", "[ENVOY] entrez_token_url = entrez: expected " + kCloudUrl},
        // The Enlighten password would travel in clear.
        {"ENVOY", "enlighten_login_url = http://enlighten.enphaseenergy.com/login/login.json",
         "[ENVOY] enlighten_login_url = http://enlighten.enphaseenergy.com/login/login.json: expected " + kCloudUrl},
        {"PV", "max = abc", "[PV] max = abc: expected " + kMax},
        {"PV", "max = 0", "[PV] max = 0: expected " + kMax},
        {"PV", "max = 1000001", "[PV] max = 1000001: expected " + kMax},
        {"PV", "max = 99999999999", "[PV] max = 99999999999: expected " + kMax},
        {"PV", "position = 5", "[PV] position = 5: expected " + kPosition},
        {"PV", "position = -1", "[PV] position = -1: expected " + kPosition},
        {"PV", "position = output", "[PV] position = output: expected " + kPosition},
        {"PV", "inverter_count = ten", "[PV] inverter_count = ten: expected " + kCount},
        {"PV", "inverter_count = -1", "[PV] inverter_count = -1: expected " + kCount},
        {"PV", "inverter_count = 10001", "[PV] inverter_count = 10001: expected " + kCount},
        {"PV", "device_instance = x", "[PV] device_instance = x: expected " + kInstance},
        {"PV", "device_instance = 1000", "[PV] device_instance = 1000: expected " + kInstance},
        {"GRID", "enabled = maybe", "[GRID] enabled = maybe: expected " + kBool},
        {"GRID", "enabled = 2", "[GRID] enabled = 2: expected " + kBool},
        {"GRID", "device_instance = -1", "[GRID] device_instance = -1: expected " + kInstance},
        {"GRID", "device_instance = thirty", "[GRID] device_instance = thirty: expected " + kInstance},
        {"BATTERY", "enabled = 2", "[BATTERY] enabled = 2: expected " + kBool},
        {"BATTERY", "enabled = battery", "[BATTERY] enabled = battery: expected " + kBool},
        {"BATTERY", "device_instance = 1000", "[BATTERY] device_instance = 1000: expected " + kInstance},
        {"BATTERY", "device_instance = -1", "[BATTERY] device_instance = -1: expected " + kInstance},
        {"MQTT", "enabled = y", "[MQTT] enabled = y: expected " + kBool},
        {"MQTT", "broker_port = 0", "[MQTT] broker_port = 0: expected " + kPort},
        {"MQTT", "broker_port = 65536", "[MQTT] broker_port = 65536: expected " + kPort},
        {"MQTT", "broker_port = mqtt", "[MQTT] broker_port = mqtt: expected " + kPort},
        {"MQTT", "publish_interval = fast", "[MQTT] publish_interval = fast: expected a whole number of seconds up to 3600 (minimum 1)"},
        {"MQTT", "publish_interval = 3601", "[MQTT] publish_interval = 3601: expected a whole number of seconds up to 3600 (minimum 1)"},
        {"MQTT", "tls_enabled = sure", "[MQTT] tls_enabled = sure: expected " + kBool},
        {"MQTT", "tls_insecure = 01", "[MQTT] tls_insecure = 01: expected " + kBool},
        {"MQTT", "retain = -1", "[MQTT] retain = -1: expected " + kBool},
        {"MQTT", "topic_meters = a/#", "[MQTT] topic_meters = a/#: expected " + kTopic},
        {"MQTT", "topic_inverters = +/x", "[MQTT] topic_inverters = +/x: expected " + kTopic},
        {"MQTT", "topic_devices = d/+", "[MQTT] topic_devices = d/+: expected " + kTopic},
        {"MQTT", "topic_events = #", "[MQTT] topic_events = #: expected " + kTopic},
        {"MQTT", "topic_battery = b/+/x", "[MQTT] topic_battery = b/+/x: expected " + kTopic},
        {"MQTT", "topic_availability = s/#", "[MQTT] topic_availability = s/#: expected " + kTopic},
        {"MQTT", "broker_address = IP_ADDR_OR_FQDN", "[MQTT] broker_address = IP_ADDR_OR_FQDN: expected " + kBroker, "enabled = 1"},
        {"MQTT", "broker_address = mqtt://broker", "[MQTT] broker_address = mqtt://broker: expected a host name or IP address without scheme or path", "enabled = 1"},
        {"MQTT", "tls_path_to_ca = /nonexistent/ca.crt",
         "[MQTT] tls_path_to_ca = /nonexistent/ca.crt: expected a readable CA certificate file (No such file or directory)",
         "enabled = 1\nbroker_address = 127.0.0.1\ntls_enabled = 1"},
        {"ENERGY", "flush_interval = often", "[ENERGY] flush_interval = often: expected a whole number of seconds up to 86400 (minimum 60)"},
        {"ENERGY", "flush_interval = 86401", "[ENERGY] flush_interval = 86401: expected a whole number of seconds up to 86400 (minimum 60)"},
    };
    for (const std::string name : {"devices", "inverters", "events"}) {
        const std::string key = "fetch_" + name;
        const std::string& seconds = name == "events" ? kSeconds900 : kSeconds60;
        rows.push_back({"DATA", key + " = 2", "[DATA] " + key + " = 2: expected " + kBool});
        rows.push_back({"DATA", key + " = enabled", "[DATA] " + key + " = enabled: expected " + kBool});
        rows.push_back({"DATA", key + "_interval = 1h", "[DATA] " + key + "_interval = 1h: expected " + seconds});
        rows.push_back({"DATA", key + "_interval = 604801", "[DATA] " + key + "_interval = 604801: expected " + seconds});
        rows.push_back({"DATA", key + "_publishing_type = 2", "[DATA] " + key + "_publishing_type = 2: expected " + kPublishing});
        rows.push_back({"DATA", key + "_publishing_type = always", "[DATA] " + key + "_publishing_type = always: expected " + kPublishing});
    }
    return rows;
}

}  // namespace

TEST(ConfigBadValue, EachBadValueGivesExactlyItsErrorLine) {
    for (const BadValue& row : bad_values()) {
        const std::string extra = row.context.empty() ? "" : row.context + "\n";
        ConfigFile file("[ENVOY]\naddress = 192.168.1.50\n[" + row.section + "]\n" + extra + row.line + "\n");
        const std::string error = file.error();
        EXPECT_EQ(error, file.path + ": " + row.message) << row.line;
        EXPECT_EQ(error.find('\n'), std::string::npos) << row.line;
    }
}

TEST(ConfigBadValue, TextThatIsNotUtf8IsAConfigurationError) {
    ConfigFile file("[ENVOY]\naddress = 192.168.1.50\n[MQTT]\nusername = user\xff\xfe\n");
    EXPECT_EQ(file.error(), file.path + ": [MQTT] username: the value is not UTF-8 text");
    ConfigFile secret("[ENVOY]\naddress = 192.168.1.50\nenlighten_password = p\xc3\n");
    EXPECT_EQ(secret.error(), secret.path + ": [ENVOY] enlighten_password: the value is not UTF-8 text");
    ConfigFile fine("[ENVOY]\naddress = 192.168.1.50\n[PV]\ncustom_name = D\xc3\xa4" "cher \xe2\x9a\xa1\n");
    EXPECT_EQ(fine.error(), "");
}

TEST(ConfigBadValue, AddressProblems) {
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"IP_ADDR_OR_FQDN", "[ENVOY] address = IP_ADDR_OR_FQDN: expected the IP address or host name of the gateway instead of the placeholder"},
        {"192.168.1.50:0", "[ENVOY] address = 192.168.1.50:0: expected a port from 1 to 65535 after ':'"},
        {"192.168.1.50:65536", "[ENVOY] address = 192.168.1.50:65536: expected a port from 1 to 65535 after ':'"},
        {"192.168.1.50:https", "[ENVOY] address = 192.168.1.50:https: expected a port from 1 to 65535 after ':'"},
        {"192.168.1.50:", "[ENVOY] address = 192.168.1.50:: expected a port from 1 to 65535 after ':'"},
        {"[fe80::1]:", "[ENVOY] address = [fe80::1]:: expected a port from 1 to 65535 after ':'"},
        {"[fe80::1", "[ENVOY] address = [fe80::1: expected a closing ']' after the IPv6 address"},
        {"[fe80::1]8443", "[ENVOY] address = [fe80::1]8443: expected ':port' or nothing after the bracketed IPv6 address"},
        {"[envoy.local]", "[ENVOY] address = [envoy.local]: expected an IPv6 address between [ and ]"},
        {"ftp://192.168.1.50", "[ENVOY] address = ftp://192.168.1.50: expected a scheme of http:// or https:// (or none to detect it)"},
        {"https://192.168.1.50/production", "[ENVOY] address = https://192.168.1.50/production: expected no path after the host, only [scheme://]host[:port]"},
        {"envoy local", "[ENVOY] address = envoy local: expected the IP address or host name of the gateway, optionally with :port"},
        {"https://", "[ENVOY] address = https://: expected the IP address or host name of the gateway, optionally with :port"},
    };
    for (const auto& [address, message] : cases) {
        ConfigFile file("[ENVOY]\naddress = " + address + "\n");
        EXPECT_EQ(file.error(), file.path + ": " + message) << address;
    }
}

TEST(ConfigBadValue, MissingAddress) {
    for (const std::string text : {"[ENVOY]\nfirmware = auto\n", "[ENVOY]\naddress =\n", "[PV]\nmax = 1\n", ""}) {
        ConfigFile file(text);
        EXPECT_EQ(file.error(), file.path + ": [ENVOY] address is missing: expected the IP address or host name of the gateway")
            << text;
    }
}

TEST(ConfigBadValue, MqttEnabledWithoutBroker) {
    ConfigFile file(configtest::minimal("[MQTT]\nenabled = 1\n"));
    EXPECT_EQ(file.error(), file.path + ": [MQTT] broker_address is missing: expected " + kBroker);
}

TEST(ConfigBadValue, MqttDisabledKeepsThePlaceholderBroker) {
    ConfigFile file(configtest::minimal("[MQTT]\nenabled = 0\nbroker_address = IP_ADDR_OR_FQDN\n"));
    EXPECT_EQ(file.error(), "");
}
