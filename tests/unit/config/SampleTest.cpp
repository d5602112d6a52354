// Tests of config.sample.ini and docs/configuration.md: the sample loads once the address is
// set, every key (also the commented-out ones) is known, sits in its section and is documented.
#include <gtest/gtest.h>

#include <map>
#include <regex>
#include <set>
#include <sstream>

#include "ConfigFile.hpp"

using configtest::ConfigFile;

namespace {

const std::string kSample = EE_SOURCE_DIR "/config.sample.ini";
const std::string kDocs = EE_SOURCE_DIR "/docs/configuration.md";

const std::map<std::string, std::set<std::string>> kAllKeys = {
    {"DEFAULT", {"logging"}},
    {"ENVOY",
     {"address", "firmware", "serial", "password", "token", "enlighten_user", "enlighten_password", "token_cache",
      "fetch_production_historic_interval", "stream_timeout", "request_timeout", "source_retry_interval", "enlighten_login_url",
      "entrez_token_url", "cloud_ca_file", "certificate"}},
    {"PV", {"max", "position", "inverter_count", "inverter_type", "device_instance", "custom_name"}},
    {"GRID", {"enabled", "device_instance"}},
    {"DATA",
     {"fetch_devices", "fetch_devices_interval", "fetch_devices_publishing_type", "fetch_inverters",
      "fetch_inverters_interval", "fetch_inverters_publishing_type", "fetch_events", "fetch_events_interval",
      "fetch_events_publishing_type"}},
    {"MQTT",
     {"enabled", "broker_address", "broker_port", "publish_interval", "tls_enabled", "tls_path_to_ca", "tls_insecure",
      "username", "password", "retain", "topic_meters", "topic_inverters", "topic_devices", "topic_events",
      "topic_availability", "client_id"}},
    {"ENERGY", {"state_dir", "volatile_dir", "flush_interval"}},
};

std::string replace_first(std::string text, const std::string& from, const std::string& to) {
    const auto at = text.find(from);
    if (at != std::string::npos) text.replace(at, from.size(), to);
    return text;
}

std::string with_address(const std::string& sample) {
    return replace_first(sample, "address = IP_ADDR_OR_FQDN", "address = 192.168.1.50");
}

// Removes the ';' in front of commented-out "key = value" lines.
std::string uncomment_keys(const std::string& sample) {
    return std::regex_replace(sample, std::regex(R"(^;(\w+ *=))", std::regex::multiline), "$1");
}

// section -> keys, for active and commented-out key lines.
std::map<std::string, std::set<std::string>> keys_in(const std::string& sample) {
    std::map<std::string, std::set<std::string>> found;
    std::istringstream lines(sample);
    std::string line, section;
    const std::regex header(R"(^\[(\w+)\])"), key(R"(^;?(\w+) *=)");
    std::smatch match;
    while (std::getline(lines, line)) {
        if (std::regex_search(line, match, header)) section = match[1];
        else if (std::regex_search(line, match, key)) found[section].insert(match[1]);
    }
    return found;
}

}  // namespace

TEST(ConfigSample, UnchangedSampleAsksForTheAddress) {
    ConfigFile file(testsupport::read_file(kSample));
    EXPECT_EQ(file.error(), file.path +
                                ": [ENVOY] address = IP_ADDR_OR_FQDN: expected the IP address or host name of the "
                                "gateway instead of the placeholder");
}

TEST(ConfigSample, LoadsOnceTheAddressIsSet) {
    ConfigFile file(with_address(testsupport::read_file(kSample)));
    const config::Config c = file.load();
    EXPECT_TRUE(file.warnings.empty()) << file.warnings.front();
    EXPECT_EQ(c.envoy.host, "192.168.1.50");
    EXPECT_EQ(c.envoy.firmware, config::Config::Envoy::Firmware::Auto);
    EXPECT_EQ(c.log_level, logging::Level::Warning);
    EXPECT_EQ(c.pv.max, 700);
    EXPECT_FALSE(c.mqtt.enabled);
    EXPECT_FALSE(c.grid.enabled);
}

TEST(ConfigSample, CommentedOutKeysAreValidToo) {
    ConfigFile file(uncomment_keys(with_address(testsupport::read_file(kSample))));
    const config::Config c = file.load();
    EXPECT_TRUE(file.warnings.empty()) << file.warnings.front();
    EXPECT_EQ(c.envoy.serial, "122112123456");
    EXPECT_EQ(c.pv.custom_name, "Roof");
    EXPECT_TRUE(c.mqtt.tls_enabled);
}

TEST(ConfigSample, EveryKeyIsInItsSection) {
    const auto found = keys_in(testsupport::read_file(kSample));
    for (const auto& [section, keys] : kAllKeys) {
        for (const std::string& key : keys) {
            const auto it = found.find(section);
            EXPECT_TRUE(it != found.end() && it->second.count(key)) << "[" << section << "] " << key;
        }
    }
}

TEST(ConfigSample, EveryKeyIsDocumented) {
    const std::string docs = testsupport::read_file(kDocs);
    for (const auto& [section, keys] : kAllKeys) {
        EXPECT_NE(docs.find("[" + section + "]"), std::string::npos) << section;
        for (const std::string& key : keys)
            EXPECT_NE(docs.find("`" + key + "`"), std::string::npos) << "[" << section << "] " << key;
    }
}
