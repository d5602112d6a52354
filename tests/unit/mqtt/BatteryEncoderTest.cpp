// tests/unit/mqtt: the exact battery object (mqtt::encode_battery / battery_json): key order,
// values, null where the model does not know, the "acb" object only with AC Batteries.
#include <gtest/gtest.h>

#include <limits>

#include <nlohmann/json.hpp>

#include "mqtt/BatteryEncoder.hpp"

namespace {

// Two IQ Batteries of 5000 Wh at 50 % and 70 %, the second one charging with 1.2 kW, and the
// storage CT's counters: the BatteryTotal envoy::battery_total would make of them, by hand.
model::BatteryTotal total_of_two() {
    model::BatteryTotal total;
    total.soc = 60.0;
    total.soh = 99.5;
    total.power = 1200.0;
    total.capacity_wh = 10000.0;
    total.available_energy_wh = 6000.0;
    total.backup_reserve = 20.0;
    total.temperature = 27.0;
    total.charged_kwh = 1234.5678;
    total.discharged_kwh = 987.6543;
    total.count = 2;
    total.online = 1;
    return total;
}

model::Batteries two_units() {
    model::Batteries batteries;
    model::BatteryUnit first;
    first.serial = "482201000001";
    first.soc = 50.0;
    first.capacity_wh = 5000.0;
    first.temperature = 25.0;
    first.power = 0.0;
    first.communicating = true;
    first.state = "ENCHG_STATE_READY";
    model::BatteryUnit second;
    second.serial = "482201000002";
    second.soc = 70.0;
    second.capacity_wh = 5000.0;
    second.temperature = 27.0;
    second.power = 1200.0;
    second.communicating = false;
    batteries.units = {first, second};
    return batteries;
}

}  // namespace

TEST(BatteryEncoder, AggregateAndUnitsInOrderWithTheirValues) {
    const std::string expected =
        R"({"soc":60.0,"soh":99.5,"power":1200.0,"capacity":10000.0,"available_energy":6000.0,"backup_reserve":20.0,)"
        R"("temperature":27.0,"count":2,"online":1,"charged":1234.568,"discharged":987.654,"batteries":[)"
        R"({"serial":"482201000001","soc":50.0,"power":0.0,"capacity":5000.0,"temperature":25.0,"communicating":true,)"
        R"("state":"ENCHG_STATE_READY"},)"
        R"({"serial":"482201000002","soc":70.0,"power":1200.0,"capacity":5000.0,"temperature":27.0,"communicating":false,)"
        R"("state":null}]})";
    EXPECT_EQ(mqtt::encode_battery(total_of_two(), two_units()), expected);
}

TEST(BatteryEncoder, UnknownValuesAreNullAndTheKeysStay) {
    const std::string expected =
        R"({"soc":null,"soh":null,"power":null,"capacity":null,"available_energy":null,"backup_reserve":null,)"
        R"("temperature":null,"count":0,"online":0,"charged":null,"discharged":null,"batteries":[]})";
    EXPECT_EQ(mqtt::encode_battery({}, {}), expected);
}

TEST(BatteryEncoder, AUnitWithoutValuesHasNulls) {
    model::Batteries batteries;
    model::BatteryUnit unit;
    unit.serial = "1";
    batteries.units.push_back(unit);
    const auto json = nlohmann::json::parse(mqtt::encode_battery({}, batteries));
    EXPECT_EQ(json["batteries"][0].dump(),
              R"({"capacity":null,"communicating":null,"power":null,"serial":"1","soc":null,"state":null,"temperature":null})");
}

TEST(BatteryEncoder, AcBatteriesComeAsTheAcbObject) {
    model::Batteries batteries;
    model::AcBattery acb;
    acb.power = -260.0;  // discharging (Venus's sign)
    acb.energy_wh = 550.0;
    acb.soc = 45.0;
    acb.active_count = 1;
    acb.state = "discharging";
    batteries.acb = acb;
    model::BatteryTotal total;
    total.soc = 45.0;
    total.power = -260.0;
    total.available_energy_wh = 550.0;
    total.count = 1;
    total.online = 1;
    const std::string expected =
        R"({"soc":45.0,"soh":null,"power":-260.0,"capacity":null,"available_energy":550.0,"backup_reserve":null,)"
        R"("temperature":null,"count":1,"online":1,"charged":null,"discharged":null,"batteries":[],)"
        R"("acb":{"power":-260.0,"available_energy":550.0,"soc":45.0,"count":1,"state":"discharging"}})";
    EXPECT_EQ(mqtt::encode_battery(total, batteries), expected);
}

TEST(BatteryEncoder, NumbersAreRoundedAndNotFiniteIsNull) {
    model::BatteryTotal total;
    total.soc = 33.33333333;
    total.power = -0.0001;  // rounds to 0, written without a sign
    total.temperature = std::numeric_limits<double>::infinity();
    total.charged_kwh = std::numeric_limits<double>::quiet_NaN();
    const auto json = nlohmann::json::parse(mqtt::encode_battery(total, {}));
    EXPECT_EQ(json["soc"].dump(), "33.333");
    EXPECT_EQ(json["power"].dump(), "0.0");
    EXPECT_TRUE(json["temperature"].is_null());
    EXPECT_TRUE(json["charged"].is_null());
}

TEST(BatteryEncoder, TextThatIsNotUtf8IsReplacedNotThrown) {
    model::Batteries batteries;
    model::BatteryUnit unit;
    unit.serial = "48\xff";
    unit.state = "ok";
    batteries.units.push_back(unit);
    const auto json = nlohmann::json::parse(mqtt::encode_battery({}, batteries));
    EXPECT_EQ(json["batteries"][0]["serial"], "48\xEF\xBF\xBD");  // U+FFFD
}

TEST(BatteryEncoder, TheJsonFormIsWhatThePayloadSays) {
    EXPECT_EQ(mqtt::battery_json(total_of_two(), two_units()).dump(), mqtt::encode_battery(total_of_two(), two_units()));
}
