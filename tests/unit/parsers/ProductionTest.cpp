// tests/unit/parsers: /production.json, /api/v1/production and inverter reports on broken input.
#include <gtest/gtest.h>

#include "ErrorAssert.hpp"
#include "TestFiles.hpp"
#include "envoy/parsers/Production.hpp"

namespace {

using envoy::parse::api_v1_production;
using envoy::parse::inverters;
using envoy::parse::production_json;

TEST(ProductionJson, NumbersAsStringsAndMissingFields) {
    const auto p = production_json(R"({
        "production": [
            {"type": "inverters", "activeCount": "4", "wNow": "812", "whLifetime": null},
            {"type": "eim", "measurementType": "production", "wNow": "790.5", "rmsVoltage": "x",
             "lines": [{"wNow": 400}, {"wNow": "390.5", "whToday": "12"}]}
        ],
        "consumption": [
            {"type": "eim", "activeCount": 1, "measurementType": "net-consumption", "wNow": -100},
            {"type": "eim", "activeCount": 0, "measurementType": "total-consumption", "wNow": 690},
            {"type": "eim", "activeCount": 1, "measurementType": "storage", "wNow": 1}
        ]
    })");
    EXPECT_EQ(p.inverters_active, 4);
    EXPECT_EQ(p.inverters_power, 812.0);
    EXPECT_FALSE(p.inverters_wh_lifetime);
    ASSERT_TRUE(p.production.present);  // no activeCount: assumed active
    EXPECT_EQ(p.production.total.power, 790.5);
    EXPECT_FALSE(p.production.total.voltage);
    EXPECT_FALSE(p.production.total.wh_today);
    EXPECT_EQ(p.production.phase_count, 2);
    EXPECT_EQ(p.production.phases[1].power, 390.5);
    EXPECT_EQ(p.production.phases[1].wh_today, 12.0);
    EXPECT_TRUE(p.net_consumption.present);
    EXPECT_EQ(p.net_consumption.phase_count, 0);
    EXPECT_EQ(p.net_consumption.total.power, -100.0);
    EXPECT_FALSE(p.total_consumption.present);
}

TEST(ProductionJson, WithoutInvertersEntry) {
    const auto p = production_json(R"({"production": [], "consumption": []})");
    EXPECT_FALSE(p.inverters_power);
    EXPECT_FALSE(p.inverters_active);
    EXPECT_FALSE(p.production.present);
}

TEST(ProductionJson, BrokenInput) {
    EXPECT_PARSE_ERROR(production_json(""), "/production.json", "empty");
    EXPECT_PARSE_ERROR(production_json("null"), "/production.json: expected an object");
    EXPECT_PARSE_ERROR(production_json("[]"), "/production.json: expected an object");
    EXPECT_PARSE_ERROR(production_json("{}"), "/production.json", "neither production nor consumption");
    EXPECT_PARSE_ERROR(production_json("{\"production\": {}}"), "/production.json: production: expected an array");
    EXPECT_PARSE_ERROR(production_json("{\"production\": [1]}"), "/production.json", "expected an object");
    EXPECT_PARSE_ERROR(production_json("{\"production\": [{\"type\": \"inv"), "/production.json", "not valid JSON");
    EXPECT_PARSE_ERROR(production_json(parsers_test::handmade("production_html_error.html")), "/production.json",
                       "HTML");
    EXPECT_PARSE_ERROR(
        production_json(R"({"production": [{"type": "eim", "measurementType": "production", "lines": [3]}]})"),
        "/production.json", "lines");
}

TEST(ApiV1Production, Values) {
    const auto p = api_v1_production(R"({"wattsNow": "250", "wattHoursToday": 1000, "wattHoursLifetime": false})");
    EXPECT_EQ(p.watts_now, 250.0);
    EXPECT_EQ(p.wh_today, 1000.0);
    EXPECT_FALSE(p.wh_seven_days);
    EXPECT_FALSE(p.wh_lifetime);
}

TEST(ApiV1Production, BrokenInput) {
    EXPECT_PARSE_ERROR(api_v1_production(""), "/api/v1/production", "empty");
    EXPECT_PARSE_ERROR(api_v1_production("[1]"), "/api/v1/production: expected an object");
    EXPECT_PARSE_ERROR(api_v1_production("null"), "/api/v1/production: expected an object");
    EXPECT_PARSE_ERROR(api_v1_production("{\"status\": 401}"), "/api/v1/production", "wattsNow");
    EXPECT_PARSE_ERROR(api_v1_production("{\"wattsNow\": 1"), "/api/v1/production", "not valid JSON");
}

TEST(Inverters, NumbersAsStringsAndMissingFields) {
    const auto r = inverters(R"([{"serialNumber": 1234, "lastReportDate": "1700000000", "lastReportWatts": "12.5",
                                  "devType": "pcu"}, {"serialNumber": "9"}])");
    ASSERT_EQ(r.size(), 2u);
    EXPECT_EQ(r[0], (model::InverterReport{"1234", 1700000000, 12.5, std::nullopt, "pcu"}));
    EXPECT_EQ(r[1], (model::InverterReport{"9", 0, 0, std::nullopt, ""}));
}

TEST(Inverters, BrokenInput) {
    EXPECT_PARSE_ERROR(inverters(""), "/api/v1/production/inverters", "empty");
    EXPECT_PARSE_ERROR(inverters("{}"), "/api/v1/production/inverters: expected an array");
    EXPECT_PARSE_ERROR(inverters("[null]"), "/api/v1/production/inverters", "expected an object");
    EXPECT_PARSE_ERROR(inverters("[{\"lastReportWatts\": 5}]"), "/api/v1/production/inverters", "serialNumber");
    EXPECT_PARSE_ERROR(inverters("[{\"serialNumber\": \"1\""), "not valid JSON");
    EXPECT_TRUE(inverters("[]").empty());
}

}  // namespace

namespace {

// Report dates far in the past or the future are unknown (0), so differences cannot overflow.
TEST(Inverters, ImplausibleReportDatesAreUnknown) {
    const auto reports = envoy::parse::inverters(
        R"([{"serialNumber":"1","lastReportDate":-9223372036854775807},{"serialNumber":"2","lastReportDate":9223372036854775807},)"
        R"({"serialNumber":"3","lastReportDate":1748576887}])");
    EXPECT_EQ(reports[0].last_report_date, 0);
    EXPECT_EQ(reports[1].last_report_date, 0);
    EXPECT_EQ(reports[2].last_report_date, 1748576887);
    EXPECT_EQ(model::newest_report(reports), 1748576887);
}

}  // namespace
