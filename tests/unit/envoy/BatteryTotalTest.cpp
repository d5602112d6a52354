// tests/unit/envoy: envoy::battery_total, each rule on figures of the captures, the expectations
// worked out by hand (docs/gateway-sources.md, "Batteries").
#include <gtest/gtest.h>

#include "envoy/BatteryTotal.hpp"

namespace {

using model::BatteryUnit;
using model::Value;

BatteryUnit unit(const char* serial, Value soc, Value capacity, Value power, Value temperature = std::nullopt,
                 bool communicating = true) {
    BatteryUnit u;
    u.serial = serial;
    u.soc = soc;
    u.capacity_wh = capacity;
    u.power = power;
    u.temperature = temperature;
    u.communicating = communicating;
    return u;
}

model::MeterValues storage_ct(double power, double dlvd_kwh, double rcvd_kwh) {
    model::MeterValues m;
    m.present = true;
    m.phase_count = 2;
    m.total.power = power;
    m.total.energy_forward = dlvd_kwh;
    m.total.energy_reverse = rcvd_kwh;
    return m;
}

// 8.3.1598_collar: two IQ Batteries 5000 Wh at 92 and 86 %, -532 and -552 W (gateway sign), a
// storage CT at -1297.667 W; secctrl agg_soc 89, Max_energy 10000, ENC_agg_avail_energy 8900.
model::Batteries collar(bool with_aggregate) {
    model::Batteries b;
    b.units = {unit("492516006337", 92, 5000, 532, 32), unit("492517004892", 86, 5000, 552, 33, false)};
    if (with_aggregate) {
        model::BatteryAggregate a;
        a.soc = 89;
        a.site_soc = 89;
        a.soh = 100;
        a.available_energy_wh = 8900;
        a.max_energy_wh = 10000;
        a.site_max_energy_wh = 10000;
        a.acb_energy_wh = 0;
        a.backup_reserve = 100;
        b.aggregate = a;
    }
    return b;
}

TEST(BatteryTotal, StorageCtGivesPowerAndCounters) {
    const auto t = envoy::battery_total(collar(true), storage_ct(-1297.667, 0.344359, 8.052959));
    EXPECT_EQ(t.power, 1297.667);  // charging: positive for Venus
    EXPECT_EQ(t.charged_kwh, 8.052959);
    EXPECT_EQ(t.discharged_kwh, 0.344359);
    EXPECT_EQ(t.soc, 89.0);
    EXPECT_EQ(t.capacity_wh, 10000.0);
    EXPECT_EQ(t.available_energy_wh, 8900.0);
    EXPECT_EQ(t.soh, 100.0);
    EXPECT_EQ(t.backup_reserve, 100.0);
    EXPECT_EQ(t.temperature, 33.0);  // the warmer of 32 and 33 °C
    EXPECT_EQ(t.count, 2);
    EXPECT_EQ(t.online, 1);          // the second one is not communicating
}

TEST(BatteryTotal, WithoutStorageCtThePowersAreAdded) {
    const auto t = envoy::battery_total(collar(true), model::MeterValues{});
    EXPECT_EQ(t.power, 1084.0);  // 532 + 552
    EXPECT_FALSE(t.charged_kwh);
    EXPECT_FALSE(t.discharged_kwh);
}

TEST(BatteryTotal, WithoutAggregateTheUnitsAreWeightedByCapacity) {
    model::Batteries b = collar(false);
    b.units[1].capacity_wh = 10000;  // 92 % of 5000 Wh and 86 % of 10000 Wh: 13200 Wh of 15000
    const auto t = envoy::battery_total(b, model::MeterValues{});
    EXPECT_DOUBLE_EQ(*t.soc, 88.0);
    EXPECT_EQ(t.capacity_wh, 15000.0);
    EXPECT_DOUBLE_EQ(*t.available_energy_wh, 13200.0);
    EXPECT_FALSE(t.soh);
    EXPECT_FALSE(t.backup_reserve);
}

TEST(BatteryTotal, AnUnknownUnitPowerOrCapacityIsNotTakenAsZero) {
    model::Batteries b = collar(false);
    b.units[0].power.reset();
    b.units[1].capacity_wh.reset();
    const auto t = envoy::battery_total(b, model::MeterValues{});
    EXPECT_FALSE(t.power);
    EXPECT_FALSE(t.soc);
    EXPECT_FALSE(t.capacity_wh);
    EXPECT_FALSE(t.available_energy_wh);
}

// 8.2.4382_ACB: one IQ Battery (+105 W discharging: -105 here) and 3 AC Batteries (wNow 260:
// -260 here, whNow 930, 25 %); secctrl agg_soc 39, Max_energy 7220, ENC_agg_avail_energy 1890,
// ACB_agg_energy 930.
TEST(BatteryTotal, IqAndAcBatteriesCombineByEnergy) {
    model::Batteries b;
    b.units = {unit("122311091641", 10, 3500, -105, 11)};
    model::AcBattery acb;
    acb.power = -260;
    acb.energy_wh = 930;
    acb.soc = 25;
    acb.active_count = 3;
    b.acb = acb;
    model::BatteryAggregate a;
    a.soc = 54;
    a.site_soc = 39;
    a.available_energy_wh = 1890;
    a.max_energy_wh = 3500;
    a.site_max_energy_wh = 7220;
    a.acb_energy_wh = 930;
    b.aggregate = a;
    const auto t = envoy::battery_total(b, model::MeterValues{});
    EXPECT_EQ(t.power, -365.0);
    EXPECT_EQ(t.soc, 39.0);
    EXPECT_EQ(t.capacity_wh, 7220.0);
    EXPECT_EQ(t.available_energy_wh, 2820.0);  // 1890 + 930: 39 % of 7220
    EXPECT_EQ(t.count, 4);
    EXPECT_EQ(t.online, 4);

    b.aggregate.reset();  // both kinds without secctrl: the AC Batteries' capacity is unknown
    const auto bare = envoy::battery_total(b, model::MeterValues{});
    EXPECT_FALSE(bare.soc);
    EXPECT_FALSE(bare.capacity_wh);
    EXPECT_EQ(bare.power, -365.0);
}

// 8.3.5169_ACB_inventory without secctrl: 2 AC Batteries, wNow -2 (charging: +2), whNow 25, 1 %.
TEST(BatteryTotal, AcBatteriesAlone) {
    model::Batteries b;
    model::AcBattery acb;
    acb.power = 2;
    acb.energy_wh = 25;
    acb.soc = 1;
    acb.active_count = 2;
    b.acb = acb;
    const auto t = envoy::battery_total(b, model::MeterValues{});
    EXPECT_EQ(t.power, 2.0);
    EXPECT_EQ(t.soc, 1.0);
    EXPECT_EQ(t.available_energy_wh, 25.0);
    EXPECT_FALSE(t.capacity_wh);
    EXPECT_FALSE(t.temperature);
    EXPECT_EQ(t.count, 2);
}

TEST(BatteryTotal, NoBatteriesNothingKnown) {
    const auto t = envoy::battery_total(model::Batteries{}, model::MeterValues{});
    EXPECT_FALSE(model::Batteries{}.present());
    EXPECT_EQ(t, model::BatteryTotal{});
}

}  // namespace

TEST(BatteryTotal, TheWarmestCellOfAnyBatteryAndNoneWhenNoneSays) {
    model::Batteries b;
    b.units = {unit("1", 50.0, 5000.0, 0.0, 25.0), unit("2", 50.0, 5000.0, 0.0, 27.0), unit("3", 50.0, 5000.0, 0.0)};
    b.units[0].max_cell_temperature = 31.5;
    b.units[2].max_cell_temperature = 29.0;
    const auto t = envoy::battery_total(b, model::MeterValues{});
    EXPECT_EQ(t.max_cell_temperature, 31.5);  // unit 2 says none; 31.5 > 29
    EXPECT_EQ(t.temperature, 27.0);
    b.units[0].max_cell_temperature.reset();
    b.units[2].max_cell_temperature.reset();
    EXPECT_FALSE(envoy::battery_total(b, model::MeterValues{}).max_cell_temperature);
}
