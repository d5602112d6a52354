// Unit: energy::Counters — which counter is published, integration when the gateway has none,
// publication only after commit, and the monotonic guard applied to real snapshots.
#include <gtest/gtest.h>

#include "energy/Counters.hpp"

using namespace std::chrono_literals;
using energy::Clock;
using energy::Counters;
using energy::Totals;

namespace {

const Clock::time_point t0{};

model::Snapshot pv_snapshot(model::Value power, model::Value forward = {}, model::Value wh_lifetime = {}) {
    model::Snapshot s;
    s.source = model::Source::Stream;
    s.pv.present = true;
    s.pv.phase_count = 1;
    s.pv.phases[0].power = power;
    s.pv.phases[0].energy_forward = forward;
    s.pv.phases[0].wh_lifetime = wh_lifetime;
    s.pv.total = s.pv.phases[0];
    return s;
}

model::Snapshot grid_snapshot(model::Value power) {
    model::Snapshot s;
    s.source = model::Source::Stream;
    s.grid.present = true;
    s.grid.phase_count = 1;
    s.grid.phases[0].power = power;
    s.grid.total = s.grid.phases[0];
    return s;
}

// observe + commit + resolve, as the Tracker does when the volatile file was written.
model::Snapshot run(Counters& counters, model::Snapshot s, Clock::time_point at, bool commit = true) {
    counters.observe(s, at);
    if (commit) counters.commit();
    counters.resolve(s);
    return s;
}

}  // namespace

TEST(Counters, MeterCounterIsPublishedAsIs) {
    Counters counters;
    auto s = run(counters, pv_snapshot(500.0, 1243.812228, 1200000.0), t0);
    EXPECT_EQ(s.pv.total.energy_forward, 1243.812228);
    EXPECT_EQ(s.pv.phases[0].energy_forward, 1243.812228);
    EXPECT_TRUE(counters.integrated().empty());
}

TEST(Counters, ProductionLifetimeIsTheFallbackForPv) {
    Counters counters;
    auto s = pv_snapshot(500.0, {}, 1243812.228);
    s.source = model::Source::Readings;
    s = run(counters, s, t0);
    EXPECT_DOUBLE_EQ(*s.pv.total.energy_forward, 1243.812228);
}

TEST(Counters, OnTheStreamTheLifetimeStandsInOnlyAfterTheGrace) {
    Counters counters;
    auto first = run(counters, pv_snapshot(500.0, {}, 1243812.228), t0);
    EXPECT_FALSE(first.pv.total.energy_forward.has_value());
    auto later = run(counters, pv_snapshot(500.0, {}, 1243812.228), t0 + 15s);
    EXPECT_DOUBLE_EQ(*later.pv.total.energy_forward, 1243.812228);
}

TEST(Counters, MeterCounterArrivingJustAfterTheStreamStartsIsNotHeldBelowTheLifetime) {
    // 7.6.175: production.json whLifetime 4351113.2 Wh, the meter's own counter 3183.793885 kWh.
    Counters counters;
    auto first = run(counters, pv_snapshot(500.0, {}, 4351113.2), t0);
    EXPECT_FALSE(first.pv.total.energy_forward.has_value());
    auto merged = run(counters, pv_snapshot(500.0, 3183.793885, 4351113.2), t0 + 1s);
    EXPECT_DOUBLE_EQ(*merged.pv.total.energy_forward, 3183.793885);
    auto next = run(counters, pv_snapshot(500.0, 3183.794, 4351113.2), t0 + 2s);
    EXPECT_DOUBLE_EQ(*next.pv.total.energy_forward, 3183.794);
}

TEST(Counters, GridHasNoLifetimeFallback) {
    Counters counters;
    auto snapshot = grid_snapshot(100.0);
    snapshot.grid.total.wh_lifetime = 5000.0;  // net, not an import counter
    auto s = run(counters, snapshot, t0);
    EXPECT_FALSE(s.grid.total.energy_forward);
    EXPECT_FALSE(s.grid.total.energy_reverse);
}

TEST(Counters, WithoutCountersNothingIsPublishedDuringTheGraceThenTheIntegral) {
    Counters counters({15s, 30s});
    for (int second = 0; second < 15; ++second) {
        auto s = run(counters, pv_snapshot(3600.0), t0 + std::chrono::seconds(second));
        EXPECT_FALSE(s.pv.total.energy_forward) << second;
    }
    EXPECT_TRUE(counters.integrated().empty());
    auto s = run(counters, pv_snapshot(3600.0), t0 + 15s);
    // 15 s of 3600 W, including the grace, = 15 Wh.
    ASSERT_TRUE(s.pv.total.energy_forward);
    EXPECT_NEAR(*s.pv.total.energy_forward, 0.015, 1e-9);
    EXPECT_NEAR(*s.pv.phases[0].energy_forward, 0.015, 1e-9);
    EXPECT_NEAR(counters.integrated().at("pv.total.forward"), 0.015, 1e-9);
    EXPECT_NEAR(counters.integrated().at("pv.L1.forward"), 0.015, 1e-9);
    EXPECT_FALSE(counters.integrated().count("pv.total.reverse"));
}

TEST(Counters, IntegrationContinuesFromTheRestoredTotal) {
    Counters counters({0s, 30s}, Totals{{"pv.total.forward", 10.0}});
    run(counters, pv_snapshot(3600.0), t0);
    auto s = run(counters, pv_snapshot(3600.0), t0 + 10s);
    EXPECT_NEAR(*s.pv.total.energy_forward, 10.01, 1e-9);
    // L1 had nothing saved: it starts from zero.
    EXPECT_NEAR(*s.pv.phases[0].energy_forward, 0.01, 1e-9);
}

TEST(Counters, OnlyCommittedIntegralsArePublished) {
    Counters counters({0s, 30s});
    run(counters, pv_snapshot(3600.0), t0);
    auto committed = run(counters, pv_snapshot(3600.0), t0 + 10s);
    EXPECT_FALSE(counters.uncommitted());
    auto held = run(counters, pv_snapshot(3600.0), t0 + 20s, false);
    EXPECT_TRUE(counters.uncommitted());
    EXPECT_FALSE(counters.commit_urgent());
    EXPECT_EQ(held.pv.total.energy_forward, committed.pv.total.energy_forward);
    auto later = run(counters, pv_snapshot(3600.0), t0 + 21s);
    EXPECT_NEAR(*later.pv.total.energy_forward, 0.021, 1e-9);
}

TEST(Counters, ACounterAppearingDuringTheGraceDropsThePendingIntegral) {
    Counters counters({15s, 30s});
    run(counters, pv_snapshot(3600.0), t0);
    run(counters, pv_snapshot(3600.0), t0 + 5s);
    auto s = run(counters, pv_snapshot(3600.0, 1243.8), t0 + 6s);
    EXPECT_EQ(s.pv.total.energy_forward, 1243.8);
    EXPECT_TRUE(counters.integrated().empty());
    EXPECT_FALSE(counters.uncommitted());
}

TEST(Counters, GridImportAndExportAreIntegratedSeparately) {
    Counters counters({0s, 30s});
    run(counters, grid_snapshot(2000.0), t0);
    run(counters, grid_snapshot(2000.0), t0 + 18s);     // 10 Wh import
    run(counters, grid_snapshot(-1000.0), t0 + 19s);    // crossing
    auto s = run(counters, grid_snapshot(-1000.0), t0 + 37s);  // 5 Wh export
    const double crossing = 2000.0 / 2 * (2.0 / 3) / 3600 / 1000;   // zero after 2/3 s
    const double back = 1000.0 / 2 * (1.0 / 3) / 3600 / 1000;
    EXPECT_NEAR(*s.grid.total.energy_forward, 0.010 + crossing, 1e-12);
    EXPECT_NEAR(*s.grid.total.energy_reverse, back + 0.005, 1e-12);
    EXPECT_NEAR(*s.grid.phases[0].energy_reverse, back + 0.005, 1e-12);
}

TEST(Counters, MeterResetNeverPublishesADecrease) {
    Counters counters;
    run(counters, pv_snapshot(500.0, 1243.8), t0);
    auto glitch = run(counters, pv_snapshot(500.0, 0.1), t0 + 1s);
    EXPECT_EQ(glitch.pv.total.energy_forward, 1243.8);
    EXPECT_FALSE(counters.state_urgent());
    run(counters, pv_snapshot(500.0, 0.1), t0 + 2s);
    run(counters, pv_snapshot(500.0, 0.1), t0 + 3s);  // near zero three times: a reset
    EXPECT_TRUE(counters.state_urgent());
    auto later = run(counters, pv_snapshot(500.0, 0.3), t0 + 4s);
    EXPECT_NEAR(*later.pv.total.energy_forward, 1244.0, 1e-9);
    // The state to persist carries the offset, so a restart continues from here.
    Counters restarted({}, counters.state());
    auto after = run(restarted, pv_snapshot(500.0, 0.4), t0 + 5s);
    EXPECT_NEAR(*after.pv.total.energy_forward, 1244.1, 1e-9);
}

TEST(Counters, SwitchingToALowerLifetimeHoldsTheValue) {
    Counters counters;
    run(counters, pv_snapshot(500.0, 1243.8), t0);
    // On the stream production.json's lifetime stands in only after the grace (unknown before).
    auto waiting = run(counters, pv_snapshot(500.0, {}, 1200000.0), t0 + 1s);
    EXPECT_FALSE(waiting.pv.total.energy_forward.has_value());
    auto s = run(counters, pv_snapshot(500.0, {}, 1200000.0), t0 + 16s);
    EXPECT_EQ(s.pv.total.energy_forward, 1243.8);
    auto back = run(counters, pv_snapshot(500.0, 1243.9), t0 + 17s);
    EXPECT_EQ(back.pv.total.energy_forward, 1243.9);
}

TEST(Counters, UnknownCounterIsInvalidNotStale) {
    Counters counters({60s, 30s});
    run(counters, pv_snapshot(500.0, 1243.8), t0);
    auto s = run(counters, pv_snapshot(500.0), t0 + 1s);
    EXPECT_FALSE(s.pv.total.energy_forward);
}
