// Unit tests of the production limit parsers against the captures (tests/data/envoy) and the
// documented DPEL request shape. Expected values are read by hand from the capture files.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "TestFiles.hpp"
#include "envoy/parsers/ParseError.hpp"
#include "envoy/parsers/PowerLimit.hpp"

namespace parse = envoy::parse;
using parsers_test::capture;

TEST(PowerLimitParsers, PelSettingsOfACaptureWithTheFullProfile) {
    // 7.3.517/ivp_ss_pel_settings: "PEL": false, "Soft_PEL": false, "percent": false, "PEL_Limit": 0.0
    auto pel = parse::pel_settings(capture("7.3.517", "ivp_ss_pel_settings"));
    EXPECT_FALSE(pel.pel);
    EXPECT_EQ(pel.soft, false);
    EXPECT_EQ(pel.percent, false);
    EXPECT_EQ(pel.limit, 0.0);
}

TEST(PowerLimitParsers, PelSettingsWithOnlyPel) {
    auto pel = parse::pel_settings(capture("7.6.175_with_cts_3phase", "ivp_ss_pel_settings"));
    EXPECT_FALSE(pel.pel);
    EXPECT_EQ(pel.soft, std::nullopt);
    EXPECT_EQ(pel.limit, std::nullopt);
}

TEST(PowerLimitParsers, ErrorPagesAndNotFoundAreParseErrors) {
    EXPECT_THROW(parse::pel_settings(capture("4.10.35", "ivp_ss_pel_settings")), parse::ParseError);
    EXPECT_THROW(parse::pel_settings(capture("7.3.130_no_consumption", "ivp_ss_pel_settings")), parse::ParseError);
    EXPECT_THROW(parse::dpel("{\"date\": \"x\"}"), parse::ParseError);
    EXPECT_THROW(parse::dpel("[]"), parse::ParseError);
    EXPECT_THROW(parse::power_forced_off("{}"), parse::ParseError);
}

TEST(PowerLimitParsers, DpelAsTheGatewayReportsIt) {
    // The shape community integrations read from firmware 8 gateways.
    auto dpel = parse::dpel(R"({"dynamic_pel_settings": {"enable": true, "export_limit": true, "limit_value_W": 50.0,
        "slew_rate": 50.0, "enable_dynamic_limiting": false}, "filename": "site_settings", "version": "00.00.01"})");
    EXPECT_TRUE(dpel.enable);
    EXPECT_TRUE(dpel.export_limit);
    EXPECT_EQ(dpel.limit_w, 50.0);
    EXPECT_EQ(dpel.slew_rate, 50.0);
    EXPECT_FALSE(dpel.dynamic_limiting);

    auto minimal = parse::dpel(R"({"date": "2024-08-02 08:15:25", "dynamic_pel_settings": {"enable": false}})");
    EXPECT_FALSE(minimal.enable);
    EXPECT_EQ(minimal.limit_w, std::nullopt);
}

TEST(PowerLimitParsers, PvLimitAndForcedOff) {
    auto limit = parse::pv_limit(R"({"enable": false, "pv_limit_pct": 100})");
    EXPECT_FALSE(limit.enable);
    EXPECT_EQ(limit.percent, 100.0);
    EXPECT_FALSE(parse::power_forced_off(R"({"powerForcedOff": false})"));
    EXPECT_TRUE(parse::power_forced_off(R"({"powerForcedOff": true})"));
}

TEST(PowerLimitParsers, TheDpelRequestHasTheWrapperAndEveryField) {
    model::DpelSettings settings;
    settings.enable = true;
    settings.limit_w = 1200;
    settings.slew_rate = 100;
    settings.dynamic_limiting = true;  // never passed on
    auto body = nlohmann::json::parse(parse::dpel_request(settings));
    EXPECT_EQ(body, (nlohmann::json{{"dynamic_pel_settings",
                                     {{"enable", true},
                                      {"export_limit", false},
                                      {"limit_value_W", 1200.0},
                                      {"slew_rate", 100.0},
                                      {"enable_dynamic_limiting", false}}},
                                    {"filename", "site_settings"},
                                    {"version", "00.00.01"}}));
    // What the gateway reads back from it is what was asked.
    model::DpelSettings back = parse::dpel(parse::dpel_request(settings));
    settings.dynamic_limiting = false;
    EXPECT_EQ(back, settings);
}
