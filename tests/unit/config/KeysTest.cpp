// Tests of the key table (config/Keys.hpp) itself: every default loads as itself, names are
// unique, error messages name the range they check, and the secret keys are the known four.
#include <gtest/gtest.h>

#include <filesystem>
#include <set>

#include "ConfigFile.hpp"
#include "config/Keys.hpp"

using configtest::ConfigFile;
using configtest::minimal;

TEST(ConfigKeys, EveryDefaultLoadsAsItself) {
    ConfigFile file(minimal());
    const config::Config c = file.load();
    for (const config::Key& key : config::keys()) {
        if (key.required()) continue;  // the minimal file sets it
        const std::string fallback = config::default_text(key);
        const bool relative_path = std::holds_alternative<config::rule::Path>(key.rule) && !fallback.empty() &&
                                   !std::filesystem::path(fallback).is_absolute();
        if (relative_path) {
            auto expected = (std::filesystem::path(file.dir.path()) / fallback).lexically_normal();
            if (!expected.has_filename()) expected = expected.parent_path();  // "dir/." -> "dir"
            EXPECT_EQ(config::shown(c, key), expected.string()) << key.name;
        } else {
            EXPECT_EQ(config::shown(c, key), fallback) << "[" << key.section << "] " << key.name;
        }
    }
}

TEST(ConfigKeys, EachKeyIsThereOnce) {
    std::set<std::pair<std::string, std::string>> seen;
    for (const config::Key& key : config::keys()) {
        EXPECT_TRUE(seen.insert({std::string(key.section), key.name}).second) << key.section << " " << key.name;
        EXPECT_EQ(config::find_key(key.section, key.name), &key);
    }
    EXPECT_EQ(config::find_key("PV", "maxx"), nullptr);
}

TEST(ConfigKeys, IntegerMessagesNameTheirRange) {
    for (const config::Key& key : config::keys()) {
        const auto* rule = std::get_if<config::rule::Integer>(&key.rule);
        if (!rule) continue;
        const std::string expected(key.expected);
        EXPECT_NE(expected.find(std::to_string(rule->min)), std::string::npos) << key.name << ": " << expected;
        EXPECT_NE(expected.find(std::to_string(rule->max)), std::string::npos) << key.name << ": " << expected;
    }
}

TEST(ConfigKeys, SecretsAreThePasswordsAndTheToken) {
    std::set<std::string> secret;
    for (const config::Key& key : config::keys())
        if (key.secret()) secret.insert(std::string(key.section) + " " + key.name);
    EXPECT_EQ(secret, (std::set<std::string>{"ENVOY enlighten_password", "ENVOY password", "ENVOY token", "MQTT password"}));
    EXPECT_TRUE(config::is_secret_key("token"));
    EXPECT_FALSE(config::is_secret_key("serial"));
}

TEST(ConfigKeys, ShownMasksASetSecretOnly) {
    ConfigFile file(minimal("serial = 122112123456\n[MQTT]\nusername = me\npassword = mqtt-secret\n"));
    const config::Config c = file.load();
    EXPECT_EQ(config::shown(c, *config::find_key("MQTT", "password")), "***");
    EXPECT_EQ(config::shown(c, *config::find_key("MQTT", "username")), "me");
    EXPECT_EQ(config::shown(c, *config::find_key("ENVOY", "password")), "");
    EXPECT_EQ(config::shown(c, *config::find_key("ENVOY", "serial")), "122112123456");
}
