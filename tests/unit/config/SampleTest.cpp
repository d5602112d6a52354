// Tests of config.sample.ini: the sample loads once the address is set, and every key of the
// key table (config/Keys.hpp) is in it (also commented out) in its section. DocsTest.cpp checks
// docs/configuration.md against the same table.
#include <gtest/gtest.h>

#include <map>
#include <regex>
#include <set>
#include <sstream>

#include "ConfigFile.hpp"
#include "config/Keys.hpp"

using configtest::ConfigFile;

namespace {

const std::string kSample = EE_SOURCE_DIR "/config.sample.ini";

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
    EXPECT_EQ(c.envoy.firmware, model::FirmwareChoice::Auto);
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
    for (const config::Key& key : config::keys()) {
        const auto it = found.find(std::string(key.section));
        EXPECT_TRUE(it != found.end() && it->second.count(key.name)) << "[" << key.section << "] " << key.name;
    }
}

TEST(ConfigSample, EveryKeyInItIsInTheTable) {
    for (const auto& [section, names] : keys_in(testsupport::read_file(kSample)))
        for (const std::string& name : names)
            EXPECT_NE(config::find_key(section, name), nullptr) << "[" << section << "] " << name;
}
