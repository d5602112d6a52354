// tests/unit/parsers: /info XML parsing, including tolerant tags and broken documents.
#include <gtest/gtest.h>

#include "ErrorAssert.hpp"
#include "envoy/parsers/Info.hpp"

namespace {

using envoy::parse::info;

TEST(Info, ReadsDeviceFieldsNotThoseOfPackages) {
    const auto gw = info(
        "<?xml version='1.0'?><envoy_info><package name='x'><pn>500-1</pn></package>"
        "<device>\n <sn> 123 </sn><pn>800-00654-r08</pn><software>D7.6.175</software>"
        "<imeter>false</imeter></device><web-tokens>true</web-tokens></envoy_info>");
    EXPECT_EQ(gw.serial, "123");
    EXPECT_EQ(gw.part_number, "800-00654-r08");
    EXPECT_EQ(gw.firmware, "D7.6.175");
    EXPECT_EQ(gw.firmware_major, 7);
    EXPECT_EQ(gw.metering_board, false);
    EXPECT_TRUE(gw.web_tokens);
}

TEST(Info, OptionalTagsMayBeMissing) {
    const auto gw = info("<envoy_info><device><sn>9</sn><software>R3.9.36</software></device></envoy_info>");
    EXPECT_EQ(gw.firmware_major, 3);
    EXPECT_EQ(gw.part_number, "");
    EXPECT_FALSE(gw.metering_board);
    EXPECT_FALSE(gw.web_tokens);
    EXPECT_FALSE(gw.token_firmware());
}

TEST(Info, TagsWithAttributesAndEmptyElements) {
    const auto gw = info("<device><sn a=\"1\">77</sn><software>D8.3.5169</software><imeter/></device>");
    EXPECT_EQ(gw.serial, "77");
    EXPECT_EQ(gw.firmware_major, 8);
    EXPECT_FALSE(gw.metering_board);
}

TEST(Info, FirmwareMajor) {
    EXPECT_EQ(envoy::parse::firmware_major("D7.6.175"), 7);
    EXPECT_EQ(envoy::parse::firmware_major("R3.9.36"), 3);
    EXPECT_EQ(envoy::parse::firmware_major("D10.1"), 10);
    EXPECT_EQ(envoy::parse::firmware_major("beta"), std::nullopt);
    EXPECT_EQ(envoy::parse::firmware_major(""), std::nullopt);
}

TEST(Info, BrokenDocuments) {
    EXPECT_PARSE_ERROR(info(""), "/info", "empty");
    EXPECT_PARSE_ERROR(info("{\"sn\": 1}"), "/info", "<device>");
    EXPECT_PARSE_ERROR(info("<envoy_info><device><sn>1</sn><software>D7"), "/info", "<device>");
    EXPECT_PARSE_ERROR(info("<device><software>D7.6.1</software></device>"), "/info", "<sn>");
    EXPECT_PARSE_ERROR(info("<device><sn>1</sn></device>"), "/info", "<software>");
    EXPECT_PARSE_ERROR(info("<device><sn></sn><software>D7</software></device>"), "<sn>");
    EXPECT_PARSE_ERROR(info("<device><sn>1</sn><software>unknown</software></device>"), "/info", "version");
    EXPECT_PARSE_ERROR(info("<device><sn><b>1</b></sn><software>D7</software></device>"), "<sn>");
}

}  // namespace
