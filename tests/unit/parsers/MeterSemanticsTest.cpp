// tests/unit/parsers: finish() (derivation, totals, PV clamp), from_inverters and counter merging.
#include <gtest/gtest.h>

#include "envoy/parsers/MeterSemantics.hpp"

namespace {

using envoy::parse::finish;
using model::MeterValues;
using model::PhaseValues;
using model::Snapshot;

PhaseValues phase(double power, double current, double voltage, double reactive = 0, double apparent = 0) {
    PhaseValues p;
    p.power = power;
    p.current = current;
    p.voltage = voltage;
    p.reactive_power = reactive;
    p.apparent_power = apparent;
    p.frequency = 50.0;
    return p;
}

MeterValues meter(std::initializer_list<PhaseValues> phases) {
    MeterValues m;
    m.present = true;
    for (const auto& p : phases) m.phases[static_cast<std::size_t>(m.phase_count++)] = p;
    return m;
}

TEST(Finish, DerivesGridFromConsumptionMinusPv) {
    Snapshot s;
    s.pv = meter({phase(1000, 4.3, 230, 10, 1010), phase(900, 3.9, 231, 5, 905)});
    s.consumption = meter({phase(300, 1.4, 229.5, 50, 310), phase(1200, 5.2, 230.5, 60, 1250)});
    finish(s);
    ASSERT_TRUE(s.grid.present);
    EXPECT_EQ(s.grid.phase_count, 2);
    EXPECT_EQ(s.grid.phases[0].power, -700.0);
    EXPECT_EQ(s.grid.phases[1].power, 300.0);
    EXPECT_EQ(s.grid.phases[0].reactive_power, 40.0);
    EXPECT_EQ(s.grid.phases[0].voltage, 229.5);  // from the measured meter
    EXPECT_EQ(s.grid.phases[0].frequency, 50.0);
    EXPECT_FALSE(s.grid.phases[0].current);       // RMS currents cannot be subtracted
    EXPECT_FALSE(s.grid.phases[0].apparent_power);
    EXPECT_EQ(s.grid.total.power, -400.0);
    EXPECT_EQ(s.grid.total.voltage, 230.0);
    EXPECT_FALSE(s.grid.total.current);
    EXPECT_FALSE(s.grid.total.power_factor);
    EXPECT_FALSE(s.grid.total.energy_forward);
}

TEST(Finish, DerivesConsumptionFromPvPlusGrid) {
    Snapshot s;
    s.pv = meter({phase(1000, 4.3, 230)});
    s.grid = meter({phase(-600, 2.6, 229, -20), phase(100, 0.5, 231, 10), phase(50, 0.3, 232, 5)});
    finish(s);
    ASSERT_TRUE(s.consumption.present);
    EXPECT_EQ(s.consumption.phase_count, 3);
    EXPECT_EQ(s.consumption.phases[0].power, 400.0);
    EXPECT_EQ(s.consumption.phases[1].power, 100.0);  // PV measures L1 only: 0 W elsewhere
    EXPECT_EQ(s.consumption.phases[2].power, 50.0);
    EXPECT_EQ(s.consumption.phases[0].reactive_power, -20.0);
    EXPECT_EQ(s.consumption.total.power, 550.0);
    EXPECT_NEAR(*s.consumption.total.voltage, (229.0 + 231.0 + 232.0) / 3, 1e-9);
}

TEST(Finish, NothingIsDerivedWithoutPvOrWhenBothAreMeasured) {
    Snapshot a;
    a.consumption = meter({phase(300, 1.4, 230)});
    finish(a);
    EXPECT_FALSE(a.grid.present);

    Snapshot b;
    b.pv = meter({phase(1000, 4, 230)});
    b.grid = meter({phase(-100, 1, 230)});
    b.consumption = meter({phase(950, 4, 230)});
    finish(b);
    EXPECT_EQ(b.consumption.total.power, 950.0);
}

TEST(Finish, TotalsFromPhases) {
    Snapshot s;
    s.grid = meter({phase(100, 1, 230, 10, 200), phase(200, 2, 232, 20, 200), phase(-50, 0.5, 234, -5, 100)});
    s.grid.phases[0].energy_forward = 1.0;
    s.grid.phases[1].energy_forward = 2.0;
    s.grid.phases[2].energy_forward = 3.5;
    s.grid.phases[0].energy_reverse = 1.0;  // not known on all phases: total stays unknown
    s.grid.total.wh_today = 77.0;           // a total already set is kept
    s.grid.phases[0].wh_today = 1.0;
    s.grid.phases[1].wh_today = 1.0;
    s.grid.phases[2].wh_today = 1.0;
    finish(s);
    EXPECT_EQ(s.grid.total.power, 250.0);
    EXPECT_EQ(s.grid.total.current, 3.5);
    EXPECT_EQ(s.grid.total.reactive_power, 25.0);
    EXPECT_EQ(s.grid.total.apparent_power, 500.0);
    EXPECT_EQ(s.grid.total.voltage, 232.0);
    EXPECT_EQ(s.grid.total.frequency, 50.0);
    EXPECT_EQ(s.grid.total.power_factor, 0.5);
    EXPECT_EQ(s.grid.total.energy_forward, 6.5);
    EXPECT_FALSE(s.grid.total.energy_reverse);
    EXPECT_EQ(s.grid.total.wh_today, 77.0);
}

TEST(Finish, UnknownStaysUnknown) {
    Snapshot s;
    s.grid.present = true;
    s.grid.phase_count = 2;
    s.grid.phases[0].power = 100.0;
    finish(s);
    EXPECT_FALSE(s.grid.total.power);
    EXPECT_FALSE(s.grid.total.current);
    EXPECT_FALSE(s.grid.total.voltage);
    EXPECT_FALSE(s.grid.total.frequency);
    EXPECT_FALSE(s.grid.total.power_factor);
    EXPECT_FALSE(s.grid.phases[1].power);
    EXPECT_FALSE(s.pv.present);
    EXPECT_FALSE(s.consumption.present);

    Snapshot night;  // PV with unknown power: no clamp invents a value
    night.pv = meter({PhaseValues{}});
    finish(night);
    EXPECT_FALSE(night.pv.total.power);
    EXPECT_FALSE(night.pv.phases[0].power);
}

TEST(Finish, ZeroApparentPowerGivesUnknownPowerFactor) {
    Snapshot s;
    s.grid = meter({phase(0, 0, 230, 0, 0)});
    finish(s);
    EXPECT_EQ(s.grid.total.power, 0.0);
    EXPECT_FALSE(s.grid.total.power_factor);
}

TEST(Finish, PvPhaseClampAtFiveWatts) {
    Snapshot s;
    s.pv = meter({phase(4.9, 0.2, 230), phase(5.0, 0.3, 231), phase(-2.0, 0.1, 232)});
    finish(s);
    EXPECT_EQ(s.pv.phases[0].power, 0.0);
    EXPECT_EQ(s.pv.phases[0].current, 0.0);
    EXPECT_EQ(s.pv.phases[0].voltage, 230.0);  // only power and current are clamped
    EXPECT_EQ(s.pv.phases[1].power, 5.0);
    EXPECT_EQ(s.pv.phases[1].current, 0.3);
    EXPECT_EQ(s.pv.phases[2].power, 0.0);
    // The total is the measured sum (4.9 + 5.0 - 2.0), clamped by itself.
    EXPECT_NEAR(*s.pv.total.power, 7.9, 1e-9);
    EXPECT_NEAR(*s.pv.total.current, 0.6, 1e-9);
}

TEST(Finish, PvTotalClampAtFiveWatts) {
    Snapshot low;
    low.pv = meter({phase(4.9, 0.2, 230)});
    finish(low);
    EXPECT_EQ(low.pv.total.power, 0.0);
    EXPECT_EQ(low.pv.total.current, 0.0);

    Snapshot edge;
    edge.pv = meter({phase(5.0, 0.2, 230)});
    finish(edge);
    EXPECT_EQ(edge.pv.total.power, 5.0);
    EXPECT_EQ(edge.pv.total.current, 0.2);

    // A meter without phases (phase_count 0) keeps its total, which is clamped by itself.
    Snapshot total_only;
    total_only.pv.present = true;
    total_only.pv.total.power = 4.9;
    total_only.pv.total.current = 0.1;
    finish(total_only);
    EXPECT_EQ(total_only.pv.total.power, 0.0);
    EXPECT_EQ(total_only.pv.total.current, 0.0);
    total_only.pv.total.power = 5.0;
    total_only.pv.total.current = 0.1;
    finish(total_only);
    EXPECT_EQ(total_only.pv.total.power, 5.0);
    EXPECT_EQ(total_only.pv.total.current, 0.1);
}

TEST(Finish, MeasuredPvIsUsedForDerivation) {
    // The inverters' night-time draw is real consumption, as in the gateway's own figure.
    Snapshot s;
    s.pv = meter({phase(-3.0, 0.1, 230)});
    s.grid = meter({phase(400, 1.8, 230)});
    finish(s);
    EXPECT_EQ(s.consumption.total.power, 397.0);
    EXPECT_EQ(s.consumption.phases[0].power, 397.0);
    EXPECT_EQ(s.pv.total.power, 0.0);
}

TEST(Finish, GatewayTotalsAreKeptAndDerivedFromTotals) {
    Snapshot s;
    s.pv = meter({phase(180.664, 1.5, 121.342), phase(179.906, 1.5, 121.424)});
    s.pv.total.power = 352.751;      // a split-phase meter's own total
    s.pv.total.voltage = 242.766;    // ignored: the total voltage is the phases' average
    s.consumption = meter({phase(431.202, 3.6, 121.374), phase(364.572, 3.0, 121.412)});
    s.consumption.total.power = 786.513;
    s.consumption.total.current = 7.333;
    finish(s);
    EXPECT_EQ(s.pv.total.power, 352.751);
    EXPECT_NEAR(*s.pv.total.voltage, 121.383, 1e-9);
    EXPECT_EQ(s.pv.total.current, 3.0);  // no total given: the sum
    EXPECT_EQ(s.consumption.total.current, 7.333);
    EXPECT_NEAR(*s.grid.total.power, 786.513 - 352.751, 1e-9);
    EXPECT_NEAR(*s.grid.phases[1].power, 364.572 - 179.906, 1e-9);
}

TEST(Finish, PvWithoutPhasesDerivesOnlyTheTotalOfAMultiPhaseMeter) {
    Snapshot s;
    s.grid = meter({phase(100, 0.5, 230), phase(200, 1.0, 231), phase(-50, 0.3, 232)});
    model::ProductionSummary summary;
    summary.inverters_power = 1000.0;
    summary.inverters_wh_lifetime = 5.0e6;
    finish(s);
    ASSERT_TRUE(envoy::parse::add_inverters_pv(s, summary));
    EXPECT_EQ(s.pv.total.power, 1000.0);
    EXPECT_EQ(s.pv.phase_count, 1);
    EXPECT_FALSE(s.pv.per_phase);
    ASSERT_TRUE(s.consumption.present);
    EXPECT_EQ(s.consumption.total.power, 1250.0);
    EXPECT_EQ(s.consumption.phase_count, 3);
    EXPECT_FALSE(s.consumption.phases[0].power);  // where on L1..L3 the PV is, nobody knows
    EXPECT_EQ(s.consumption.phases[2].voltage, 232.0);
    EXPECT_FALSE(envoy::parse::add_inverters_pv(s, summary));  // PV is there now
}

TEST(PhasesWithData, LastLivePhaseCounts) {
    MeterValues m = meter({phase(10, 0.1, 230), phase(0, 0, 6.1), phase(0, 0, 11.5)});
    EXPECT_EQ(envoy::parse::phases_with_data(m, 3), 1);
    m.phases[2].voltage = 229.0;
    EXPECT_EQ(envoy::parse::phases_with_data(m, 3), 3);  // a dead L2 between live phases still counts
    EXPECT_EQ(envoy::parse::phases_with_data(m, 2), 1);  // never beyond the configured count
    MeterValues dark = meter({phase(0, 0, 0), phase(0, 0, 0)});
    EXPECT_EQ(envoy::parse::phases_with_data(dark, 2), 1);  // at least L1
    PhaseValues no_voltage;
    no_voltage.power = 12.0;
    EXPECT_TRUE(envoy::parse::carries_data(no_voltage));
    no_voltage.power = 0.0;
    EXPECT_FALSE(envoy::parse::carries_data(no_voltage));
}

TEST(FromInverters, ApiV1Production) {
    const model::InverterProduction p{2675.0, 13233.0, 86068.0, 1243605.0};
    const auto s = envoy::parse::from_inverters(p);
    EXPECT_EQ(s.source, model::Source::Inverters);
    ASSERT_TRUE(s.pv.present);
    EXPECT_EQ(s.pv.phase_count, 1);
    EXPECT_EQ(s.pv.phases[0].power, 2675.0);
    EXPECT_EQ(s.pv.total.power, 2675.0);
    EXPECT_EQ(s.pv.total.energy_forward, 1243.605);
    EXPECT_EQ(s.pv.total.wh_today, 13233.0);
    EXPECT_FALSE(s.pv.total.current);
    EXPECT_FALSE(s.grid.present);
    EXPECT_FALSE(s.consumption.present);

    const auto night = envoy::parse::from_inverters(model::InverterProduction{-4.0, 0.0, 0.0, 1692970.0});
    EXPECT_EQ(night.pv.total.power, 0.0);
}

TEST(FromInverters, ProductionSummary) {
    model::ProductionSummary summary;
    summary.inverters_power = 586.0;
    summary.inverters_wh_lifetime = 351236.0;
    const auto s = envoy::parse::from_inverters(summary);
    EXPECT_EQ(s.source, model::Source::Inverters);
    EXPECT_EQ(s.pv.phase_count, 1);
    EXPECT_EQ(s.pv.total.power, 586.0);
    EXPECT_EQ(s.pv.total.energy_forward, 351.236);
    EXPECT_EQ(s.pv.total.wh_lifetime, 351236.0);

    const auto unknown = envoy::parse::from_inverters(model::ProductionSummary{});
    EXPECT_TRUE(unknown.pv.present);
    EXPECT_FALSE(unknown.pv.total.power);
    EXPECT_FALSE(unknown.pv.total.energy_forward);
}

TEST(MergeProductionCounters, FillsTotalsAndMatchingPhases) {
    Snapshot s;
    s.pv = meter({phase(1000, 4, 230), phase(900, 4, 230)});
    s.grid = meter({phase(-500, 2, 230), phase(-400, 2, 230)});
    finish(s);
    const Snapshot before = s;

    model::ProductionSummary p;
    p.production.present = true;
    p.production.phase_count = 1;
    p.production.total.wh_today = 5000.0;
    p.production.total.vah_today = 5100.0;
    p.production.total.wh_lifetime = 1e6;
    p.production.total.vah_lifetime = 1.1e6;
    p.production.total.power = 12345.0;  // not a counter: must not be copied
    p.production.phases[0].wh_today = 2500.0;
    p.total_consumption.present = true;
    p.total_consumption.total.wh_today = 42.0;
    envoy::parse::merge_production_counters(s, p);

    EXPECT_EQ(s.pv.total.wh_today, 5000.0);
    EXPECT_EQ(s.pv.total.vah_today, 5100.0);
    EXPECT_EQ(s.pv.total.wh_lifetime, 1e6);
    EXPECT_EQ(s.pv.total.vah_lifetime, 1.1e6);
    EXPECT_EQ(s.pv.total.power, 1900.0);
    EXPECT_EQ(s.pv.phases[0].wh_today, 2500.0);
    EXPECT_FALSE(s.pv.phases[1].wh_today);
    EXPECT_EQ(s.grid, before.grid);  // net-consumption not present in the summary
    EXPECT_EQ(s.consumption.total.wh_today, 42.0);
    EXPECT_EQ(s.consumption.total.power, before.consumption.total.power);
    EXPECT_FALSE(s.consumption.total.wh_lifetime);
}

TEST(MergeProductionCounters, DoesNotCreateAbsentMeters) {
    Snapshot s;
    s.pv = meter({phase(1000, 4, 230)});
    model::ProductionSummary p;
    p.net_consumption.present = true;
    p.net_consumption.total.wh_today = 10.0;
    envoy::parse::merge_production_counters(s, p);
    EXPECT_FALSE(s.grid.present);
    EXPECT_FALSE(s.grid.total.wh_today);
    EXPECT_FALSE(s.pv.total.wh_today);
}

}  // namespace
