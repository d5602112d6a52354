// Tests of the single-value parsers behind config::load(): firmware forms and integers.
#include <gtest/gtest.h>

#include "config/Values.hpp"

using config::detail::parse_firmware;
using config::detail::parse_int;
using Firmware = model::FirmwareChoice;

TEST(ConfigValues, FirmwareForms) {
    const std::vector<std::pair<std::string, std::optional<Firmware>>> cases = {
        {"auto", Firmware::Auto},     {"AUTO", Firmware::Auto},      {"D5", Firmware::Pre7},
        {"D3", Firmware::Pre7},       {"R3", Firmware::Pre7},        {"r4.10.35", Firmware::Pre7},
        {"5.0.62", Firmware::Pre7},   {"D6", Firmware::Pre7},        {"D7", Firmware::Token},
        {"7", Firmware::Token},       {"D7.x.x", Firmware::Token},   {"D7.6.175", Firmware::Token},
        {"d8", Firmware::Token},      {"8.2.4264", Firmware::Token}, {" D7 ", Firmware::Token},
        {"", std::nullopt},           {"D", std::nullopt},           {"D2", std::nullopt},
        {"X7", std::nullopt},         {"D7.", std::nullopt},         {"D7..1", std::nullopt},
        {"D7.6.a", std::nullopt},     {"D123", std::nullopt},        {"token", std::nullopt},
    };
    for (const auto& [text, expected] : cases) EXPECT_EQ(parse_firmware(text), expected) << text;
}

TEST(ConfigValues, Integers) {
    EXPECT_EQ(parse_int("42"), 42);
    EXPECT_EQ(parse_int(" -7 "), -7);
    EXPECT_EQ(parse_int("+5"), 5);
    EXPECT_EQ(parse_int("2147483647"), 2147483647);
    EXPECT_EQ(parse_int("2147483648"), std::nullopt);
    EXPECT_EQ(parse_int("++5"), std::nullopt);
    EXPECT_EQ(parse_int("+-5"), std::nullopt);
    EXPECT_EQ(parse_int("5 5"), std::nullopt);
    EXPECT_EQ(parse_int("0x10"), std::nullopt);
    EXPECT_EQ(parse_int("1e3"), std::nullopt);
    EXPECT_EQ(parse_int(""), std::nullopt);
}
