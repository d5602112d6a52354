// Tests of envoy::CounterMerge: which counters a sample gets from the latest readings and from
// production.json, depending on its source and on how fresh the readings are.
#include <gtest/gtest.h>

#include "envoy/CounterMerge.hpp"

using envoy::CounterMerge;
using model::Source;
using namespace std::chrono_literals;

namespace {

const CounterMerge::TimePoint kT0 = CounterMerge::TimePoint{} + 1000h;
constexpr auto kMaxAge = 60s;

model::Snapshot sample(Source source, double pv_watts) {
    model::Snapshot s;
    s.source = source;
    s.pv.present = true;
    s.pv.phase_count = 1;
    s.pv.phases[0].power = pv_watts;
    s.pv.total.power = pv_watts;
    return s;
}

model::Snapshot readings(double pv_kwh) {
    model::Snapshot s = sample(Source::Readings, 90);
    s.pv.total.energy_forward = pv_kwh;
    s.pv.phases[0].energy_forward = pv_kwh;
    return s;
}

model::ProductionSummary production(double pv_wh_today) {
    model::ProductionSummary p;
    p.production.present = true;
    p.production.phase_count = 1;
    p.production.total.wh_today = pv_wh_today;
    return p;
}

}  // namespace

TEST(CounterMerge, ASampleThatNeedsNothingIsHandedOnAsItIs) {
    CounterMerge merge(kMaxAge);
    const auto stream = sample(Source::Stream, 100);
    const model::Snapshot& out = merge.complete(stream, Source::Stream, std::nullopt, kT0);
    EXPECT_EQ(&out, &stream);
}

TEST(CounterMerge, TheStreamGetsTheCountersOfFreshReadings) {
    CounterMerge merge(kMaxAge);
    merge.set_readings(readings(12.5), kT0);
    const auto& out = merge.complete(sample(Source::Stream, 100), Source::Stream, std::nullopt, kT0 + kMaxAge - 1s);
    EXPECT_EQ(out.pv.total.energy_forward, 12.5);
    EXPECT_EQ(out.pv.total.power, 100);  // its own power stays
}

TEST(CounterMerge, StaleReadingsAreNotMerged) {
    CounterMerge merge(kMaxAge);
    merge.set_readings(readings(12.5), kT0);
    const auto stream = sample(Source::Stream, 100);
    EXPECT_EQ(merge.complete(stream, Source::Stream, std::nullopt, kT0 + kMaxAge), stream);
}

TEST(CounterMerge, OnlyTheStreamGetsTheReadingsCounters) {
    CounterMerge merge(kMaxAge);
    merge.set_readings(readings(12.5), kT0);
    const auto inverters = sample(Source::Inverters, 100);
    EXPECT_FALSE(merge.complete(inverters, Source::Inverters, std::nullopt, kT0).pv.total.energy_forward);
}

TEST(CounterMerge, ProductionJsonCountersGoToEverySourceButItself) {
    CounterMerge merge(kMaxAge);
    const auto summary = std::optional(production(3210));
    EXPECT_EQ(merge.complete(sample(Source::Readings, 100), Source::Readings, summary, kT0).pv.total.wh_today, 3210);
    const auto own = sample(Source::ProductionJson, 100);
    EXPECT_FALSE(merge.complete(own, Source::ProductionJson, summary, kT0).pv.total.wh_today);
}

TEST(CounterMerge, TheNewestReadingsWin) {
    CounterMerge merge(kMaxAge);
    merge.set_readings(readings(12.5), kT0);
    merge.set_readings(readings(13.0), kT0 + 10s);
    EXPECT_EQ(merge.complete(sample(Source::Stream, 100), Source::Stream, std::nullopt, kT0 + 65s).pv.total.energy_forward, 13.0);
}
