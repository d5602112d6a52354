// tests/unit/parsers: /ivp/meters and /ivp/meters/readings on hand-made and broken input.
#include <gtest/gtest.h>

#include "ErrorAssert.hpp"
#include "TestFiles.hpp"
#include "envoy/parsers/Meters.hpp"

namespace {

using envoy::parse::meters;
using envoy::parse::readings;
using model::MeasurementType;
using model::MeterConfig;

const model::MeterConfigs kConfig = {
    {704643328, true, MeasurementType::Production, 1},
    {704643584, true, MeasurementType::NetConsumption, 1},
};

TEST(Meters, PhaseCountFallsBackToPhaseMode) {
    const auto config = meters(R"([
        {"eid": 1, "state": "enabled", "measurementType": "production", "phaseMode": "three"},
        {"eid": "2", "state": "enabled", "measurementType": "total-consumption", "phaseMode": "split", "phaseCount": 7},
        {"eid": 3, "state": "disabled", "measurementType": "net-consumption", "phaseCount": "3"},
        {"eid": 4, "measurementType": "storage"},
        {"eid": 5, "state": "enabled", "measurementType": "solar-thermal"}
    ])");
    ASSERT_EQ(config.size(), 5u);
    EXPECT_EQ(config[0], (MeterConfig{1, true, MeasurementType::Production, 3}));
    EXPECT_EQ(config[1], (MeterConfig{2, true, MeasurementType::TotalConsumption, 2}));
    EXPECT_EQ(config[2], (MeterConfig{3, false, MeasurementType::NetConsumption, 3}));
    EXPECT_EQ(config[3], (MeterConfig{4, false, MeasurementType::Storage, 1}));
    EXPECT_EQ(config[4], (MeterConfig{5, true, MeasurementType::Other, 1}));
}

TEST(Meters, BrokenInput) {
    EXPECT_PARSE_ERROR(meters(""), "/ivp/meters", "empty");
    EXPECT_PARSE_ERROR(meters("null"), "/ivp/meters", "expected an array");
    EXPECT_PARSE_ERROR(meters("{\"eid\": 1}"), "/ivp/meters", "expected an array");
    EXPECT_PARSE_ERROR(meters("[{\"eid\": 1, \"state\": \"ena"), "/ivp/meters", "not valid JSON");
    EXPECT_PARSE_ERROR(meters("[1, 2]"), "/ivp/meters", "expected an object");
    EXPECT_PARSE_ERROR(meters("[{\"state\": \"enabled\"}]"), "/ivp/meters", "eid");
    EXPECT_PARSE_ERROR(meters("[{\"eid\": null}]"), "eid");
    EXPECT_PARSE_ERROR(meters("[{\"eid\": -5}]"), "eid");
    EXPECT_PARSE_ERROR(meters("<html>Not Found</html>"), "/ivp/meters", "HTML");
    EXPECT_TRUE(meters("[]").empty());
}

TEST(Readings, NumbersAsStringsAndWrongTypes) {
    const auto s = readings(parsers_test::handmade("readings_as_strings.json"), kConfig);
    ASSERT_TRUE(s.pv.present);
    EXPECT_EQ(s.pv.phases[0].power, 812.5);
    EXPECT_EQ(s.pv.phases[0].apparent_power, 820.0);
    EXPECT_EQ(s.pv.phases[0].reactive_power, -40.25);
    EXPECT_EQ(s.pv.phases[0].voltage, 240.5);
    EXPECT_EQ(s.pv.phases[0].current, 3.4);
    EXPECT_EQ(s.pv.phases[0].frequency, 50.0);
    EXPECT_EQ(s.pv.phases[0].energy_forward, 1234.5675);
    EXPECT_FALSE(s.pv.phases[0].energy_reverse);  // true is not a number
    EXPECT_EQ(s.pv.total.energy_forward, 1234.5675);
    EXPECT_FALSE(s.pv.total.energy_reverse);      // null

    ASSERT_TRUE(s.grid.present);
    EXPECT_EQ(s.grid.phases[0].power, -300.25);
    EXPECT_FALSE(s.grid.phases[0].apparent_power);  // an object
    EXPECT_FALSE(s.grid.phases[0].current);         // "1.5 A"
    EXPECT_FALSE(s.grid.phases[0].reactive_power);  // missing
    EXPECT_FALSE(s.grid.total.current);
    EXPECT_FALSE(s.grid.total.power_factor);
    EXPECT_EQ(s.grid.total.power, -300.25);
    EXPECT_EQ(s.grid.total.energy_forward, 55.0);
    EXPECT_EQ(s.grid.total.energy_reverse, 22.0);
    EXPECT_EQ(s.consumption.total.power, 812.5 - 300.25);
}

TEST(Readings, UnknownEidsAndDisabledMetersAreIgnored) {
    const model::MeterConfigs config = {{1, false, MeasurementType::Production, 1},
                                        {2, true, MeasurementType::TotalConsumption, 1}};
    const auto s = readings(R"([
        {"eid": 1, "activePower": 100, "channels": [{"activePower": 100}]},
        {"eid": 2, "activePower": 300, "channels": [{"activePower": 300}]},
        {"eid": 99, "activePower": 5000, "channels": [{"activePower": 5000}]}
    ])", config);
    EXPECT_FALSE(s.pv.present);
    EXPECT_FALSE(s.grid.present);
    ASSERT_TRUE(s.consumption.present);
    EXPECT_EQ(s.consumption.total.power, 300.0);
}

TEST(Readings, MissingChannelsMeansOnePhaseFromTheMeter) {
    const auto s = readings(R"([{"eid": 704643328, "activePower": 640, "voltage": 230, "actEnergyDlvd": 1000}])", kConfig);
    ASSERT_TRUE(s.pv.present);
    EXPECT_EQ(s.pv.phase_count, 1);
    EXPECT_EQ(s.pv.phases[0].power, 640.0);
    EXPECT_EQ(s.pv.total.power, 640.0);
    EXPECT_EQ(s.pv.total.voltage, 230.0);
    EXPECT_EQ(s.pv.total.energy_forward, 1.0);
}

TEST(Readings, FewerChannelsThanPhasesMeansFewerPhases) {
    const model::MeterConfigs config = {{7, true, MeasurementType::NetConsumption, 3}};
    const auto s = readings(R"([{"eid": 7, "channels": [{"activePower": 10, "voltage": 230}]}])", config);
    ASSERT_TRUE(s.grid.present);
    EXPECT_EQ(s.grid.phase_count, 1);
    EXPECT_EQ(s.grid.phases[0].power, 10.0);
    EXPECT_EQ(s.grid.total.power, 10.0);  // no total in the reading: the sum
    EXPECT_EQ(s.grid.total.voltage, 230.0);
}

TEST(Readings, TheReadingsOwnTotalWins) {
    const model::MeterConfigs config = {{7, true, MeasurementType::Production, 2}};
    const auto s = readings(R"([{"eid": 7, "activePower": 352.751, "current": 2.9, "voltage": 242.7, "freq": 60,
        "channels": [{"activePower": 180.664, "voltage": 121.3, "current": 1.5},
                     {"activePower": 179.906, "voltage": 121.4, "current": 1.5},
                     {"activePower": -3, "voltage": 0.4}]}])", config);
    EXPECT_EQ(s.pv.phase_count, 2);
    EXPECT_EQ(s.pv.total.power, 352.751);
    EXPECT_EQ(s.pv.total.current, 2.9);
    EXPECT_NEAR(*s.pv.total.voltage, 121.35, 1e-9);
    EXPECT_EQ(s.pv.total.frequency, 60.0);
}

TEST(Readings, BrokenInput) {
    EXPECT_PARSE_ERROR(readings("", kConfig), "/ivp/meters/readings", "empty");
    EXPECT_PARSE_ERROR(readings("{}", kConfig), "/ivp/meters/readings: expected an array");
    EXPECT_PARSE_ERROR(readings("null", kConfig), "/ivp/meters/readings: expected an array");
    EXPECT_PARSE_ERROR(readings("[{\"eid\": 704643328, \"activePower\": 1", kConfig), "not valid JSON");
    EXPECT_PARSE_ERROR(readings("[\"x\"]", kConfig), "/ivp/meters/readings", "expected an object");
    EXPECT_PARSE_ERROR(readings("[{\"activePower\": 1}]", kConfig), "/ivp/meters/readings", "eid");
    const std::string deep = std::string(100000, '[') + std::string(100000, ']');
    // Refused before parsing: nothing recursive may see such a document.
    EXPECT_PARSE_ERROR(readings(deep, kConfig), "/ivp/meters/readings", "nested deeper than 64 levels");
    EXPECT_PARSE_ERROR(readings(std::string(100000, '['), kConfig), "/ivp/meters/readings", "nested deeper than 64 levels");
    const auto empty = readings("[]", kConfig);
    EXPECT_FALSE(empty.pv.present);
    EXPECT_EQ(empty.source, model::Source::Readings);
}

}  // namespace
