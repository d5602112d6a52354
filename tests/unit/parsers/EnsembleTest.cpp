// Unit tests of the battery parsers (src/envoy/parsers/Ensemble.*) against the captures with
// batteries; the expected values are read by hand from the capture files, the powers turned into
// Venus's sign (the gateway reports discharging as positive).
#include <gtest/gtest.h>

#include <cmath>

#include "TestFiles.hpp"
#include "envoy/parsers/Ensemble.hpp"
#include "envoy/parsers/ParseError.hpp"

namespace parse = envoy::parse;
using parsers_test::capture;

namespace {

constexpr const char* kSplit = "8.2.4286_with_3cts_and_battery_split";

}  // namespace

TEST(EnsembleParsers, InventoryListsTheIqBatteriesOnly) {
    auto units = parse::ensemble_inventory(capture(kSplit, "ivp_ensemble_inventory"));
    ASSERT_EQ(units.size(), 5u);  // ENCHARGE: 5 devices; the ENPOWER group is not a battery
    EXPECT_EQ(units[0].serial, "492320000140");
    EXPECT_EQ(units[0].soc, 39.0);
    EXPECT_EQ(units[0].capacity_wh, 5000.0);
    EXPECT_EQ(units[0].temperature, 18.0);
    EXPECT_EQ(units[0].max_cell_temperature, 19.0);
    EXPECT_EQ(units[0].communicating, true);
    EXPECT_EQ(units[0].dc_switch_off, false);
    EXPECT_EQ(units[0].state, "ENCHG_STATE_READY");
    EXPECT_EQ(units[4].serial, "492335008361");
    EXPECT_EQ(units[4].temperature, 23.0);
    EXPECT_EQ(units[0].power, std::nullopt);
}

TEST(EnsembleParsers, PowerJoinsTheInventoryInVenusSign) {
    auto units = parse::ensemble_inventory(capture(kSplit, "ivp_ensemble_inventory"));
    parse::ensemble_power(capture(kSplit, "ivp_ensemble_power"), units);
    ASSERT_EQ(units.size(), 5u);
    // real_power_mw -1324000 (the gateway: negative while charging) -> +1324 W charging.
    EXPECT_EQ(units[0].power, 1324.0);
    EXPECT_EQ(units[2].power, 1316.0);
    EXPECT_EQ(units[3].power, 1317.0);
    EXPECT_EQ(units[4].power, 1311.0);
    EXPECT_EQ(units[3].soc, 49.0);  // the inventory's percentFull stays
}

TEST(EnsembleParsers, PowerWithoutInventoryAndTheKeyWithoutColon) {
    std::vector<model::BatteryUnit> units;
    parse::ensemble_power(capture("7.6.185_with_cts_and_battery_3t", "ivp_ensemble_power"), units);
    ASSERT_EQ(units.size(), 1u);
    EXPECT_EQ(units[0].serial, "122249097612");
    EXPECT_EQ(units[0].power, 0.0);
    EXPECT_FALSE(std::signbit(*units[0].power));
    EXPECT_EQ(units[0].soc, 15.0);

    std::vector<model::BatteryUnit> other;
    parse::ensemble_power(R"({"devices": [{"serial_num": "1", "real_power_mw": 250000, "soc": 70}]})", other);
    ASSERT_EQ(other.size(), 1u);
    EXPECT_EQ(other[0].power, -250.0);  // discharging 250 W
    EXPECT_THROW(parse::ensemble_power("{}", other), parse::ParseError);
    EXPECT_THROW(parse::ensemble_power("<html>", other), parse::ParseError);
}

TEST(EnsembleParsers, SecctrlAggregate) {
    auto aggregate = parse::ensemble_secctrl(capture(kSplit, "ivp_ensemble_secctrl"));
    EXPECT_EQ(aggregate.soc, 46.0);
    EXPECT_EQ(aggregate.soh, 100.0);
    EXPECT_EQ(aggregate.available_energy_wh, 11600.0);
    EXPECT_EQ(aggregate.max_energy_wh, 25000.0);
    EXPECT_EQ(aggregate.commissioned_capacity_wh, 25000.0);
    EXPECT_EQ(aggregate.backup_reserve, 100.0);

    auto small = parse::ensemble_secctrl(capture("7.6.185_with_cts_and_battery_3t", "ivp_ensemble_secctrl"));
    EXPECT_EQ(small.soc, 15.0);
    EXPECT_EQ(small.available_energy_wh, 525.0);
    EXPECT_EQ(small.max_energy_wh, 3500.0);

    // IQ Battery and AC Batteries: the site figures cover both, the ENC_ ones the IQ Battery.
    auto mixed = parse::ensemble_secctrl(capture("8.2.4382_ACB", "ivp_ensemble_secctrl"));
    EXPECT_EQ(mixed.soc, 54.0);
    EXPECT_EQ(mixed.max_energy_wh, 3500.0);
    EXPECT_EQ(mixed.site_soc, 39.0);
    EXPECT_EQ(mixed.site_max_energy_wh, 7220.0);
    EXPECT_EQ(mixed.acb_soc, 25.0);
    EXPECT_EQ(mixed.acb_energy_wh, 930.0);
    EXPECT_THROW(parse::ensemble_secctrl("[]"), parse::ParseError);
}

TEST(EnsembleParsers, AcBatteryFromProductionJson) {
    auto acb = parse::ac_battery(capture("8.2.4382_ACB", "production.json"));
    ASSERT_TRUE(acb.has_value());
    EXPECT_EQ(acb->power, -260.0);  // wNow 260 while "discharging"
    EXPECT_EQ(acb->energy_wh, 930.0);
    EXPECT_EQ(acb->soc, 25.0);
    EXPECT_EQ(acb->active_count, 3);
    EXPECT_EQ(acb->state, "discharging");

    auto idle = parse::ac_battery(capture("8.3.5169_ACB_inventory", "production.json"));
    ASSERT_TRUE(idle.has_value());
    EXPECT_EQ(idle->power, 2.0);  // wNow -2
    EXPECT_EQ(idle->active_count, 2);

    // An acb entry with activeCount 0 is no AC Battery.
    EXPECT_FALSE(parse::ac_battery(capture(kSplit, "production.json")).has_value());
    EXPECT_THROW(parse::ac_battery("not json"), parse::ParseError);
}
