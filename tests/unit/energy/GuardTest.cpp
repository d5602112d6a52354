// Unit: energy::Guard — the published counter never decreases, whatever the gateway sends.
#include <gtest/gtest.h>

#include "energy/Guard.hpp"

using energy::Guard;
using energy::Origin;

TEST(Guard, PassesAnIncreasingCounterThrough) {
    Guard guard;
    EXPECT_DOUBLE_EQ(guard.update(10.0, Origin::Meter).value, 10.0);
    auto result = guard.update(10.5, Origin::Meter);
    EXPECT_DOUBLE_EQ(result.value, 10.5);
    EXPECT_EQ(result.event, Guard::Event::None);
}

TEST(Guard, MeterResetContinuesFromTheLastValueOnceItPersists) {
    Guard guard;
    guard.update(100.0, Origin::Meter);
    auto first = guard.update(0.5, Origin::Meter);
    EXPECT_EQ(first.event, Guard::Event::Ignored);
    EXPECT_DOUBLE_EQ(first.value, 100.0);
    EXPECT_FALSE(first.state_changed);
    auto second = guard.update(0.6, Origin::Meter);
    EXPECT_EQ(second.event, Guard::Event::None);  // the same episode: reported once
    EXPECT_DOUBLE_EQ(second.value, 100.0);
    auto reset = guard.update(0.7, Origin::Meter);  // the third reading near zero: a reset
    EXPECT_EQ(reset.event, Guard::Event::WentBack);
    EXPECT_TRUE(reset.state_changed);
    EXPECT_DOUBLE_EQ(reset.previous, 100.0);
    EXPECT_DOUBLE_EQ(reset.raw, 0.7);
    EXPECT_DOUBLE_EQ(reset.value, 100.2);  // what the meter counted since the reset is kept
    auto after = guard.update(2.5, Origin::Meter);
    EXPECT_DOUBLE_EQ(after.value, 102.0);
    EXPECT_EQ(after.event, Guard::Event::None);
}

// The glitch the issue was filed for: one reading of 0 must not double the counter.
TEST(Guard, OneZeroReadingIsIgnored) {
    Guard guard;
    guard.update(3183.79, Origin::Meter);
    auto glitch = guard.update(0.0, Origin::Meter);
    EXPECT_EQ(glitch.event, Guard::Event::Ignored);
    EXPECT_DOUBLE_EQ(glitch.value, 3183.79);
    EXPECT_DOUBLE_EQ(guard.update(3183.80, Origin::Meter).value, 3183.80);
    EXPECT_DOUBLE_EQ(guard.update(3183.81, Origin::Meter).value, 3183.81);
}

TEST(Guard, ADropFarFromZeroIsNeverAReset) {
    Guard guard;
    guard.update(3183.79, Origin::Meter);
    for (int i = 0; i < 10; ++i) EXPECT_DOUBLE_EQ(guard.update(2000.0 + i, Origin::Meter).value, 3183.79);
    EXPECT_DOUBLE_EQ(guard.update(3183.85, Origin::Meter).value, 3183.85);
}

TEST(Guard, AnOriginThatReturnsCancelsItsOffset) {
    // A gateway reboot reports zeros long enough to look like a reset, then the old counter.
    Guard guard;
    guard.update(3183.79, Origin::Meter);
    for (double zero : {0.0, 0.0, 0.0}) guard.update(zero, Origin::Meter);
    EXPECT_DOUBLE_EQ(*guard.published(), 3183.79);
    auto back = guard.update(3183.80, Origin::Meter);
    EXPECT_EQ(back.event, Guard::Event::Returned);
    EXPECT_TRUE(back.state_changed);
    EXPECT_DOUBLE_EQ(back.value, 3183.80);  // not 6367.59
    EXPECT_DOUBLE_EQ(guard.update(3183.90, Origin::Meter).value, 3183.90);
}

TEST(Guard, StateSurvivesARestart) {
    Guard guard;
    guard.update(100.0, Origin::Meter);
    for (double low : {0.1, 0.2, 0.3}) guard.update(low, Origin::Meter);
    EXPECT_DOUBLE_EQ(guard.update(1.3, Origin::Meter).value, 101.2);  // 100 + 1.3 - 0.1
    energy::Totals saved;
    guard.save("pv.total.forward", saved);
    EXPECT_DOUBLE_EQ(saved.at("pv.total.forward@published"), 101.2);
    EXPECT_DOUBLE_EQ(saved.at("pv.total.forward@meter.offset"), 99.9);

    Guard restarted;
    restarted.restore("pv.total.forward", saved);
    EXPECT_DOUBLE_EQ(*restarted.published(), 101.2);
    EXPECT_DOUBLE_EQ(restarted.update(1.4, Origin::Meter).value, 101.3);  // continues exactly
    Guard other;
    other.restore("grid.total.forward", saved);
    EXPECT_FALSE(other.published());
}

TEST(Guard, LowerOriginIsHeldUntilItPassesAndSwitchingBackDoesNotInflate) {
    Guard guard;
    guard.update(1243.8, Origin::Meter);
    auto lower = guard.update(1200.0, Origin::Lifetime);
    EXPECT_EQ(lower.event, Guard::Event::Held);
    EXPECT_DOUBLE_EQ(lower.value, 1243.8);
    // Reported once per episode.
    EXPECT_EQ(guard.update(1200.1, Origin::Lifetime).event, Guard::Event::None);
    EXPECT_DOUBLE_EQ(guard.update(1200.2, Origin::Lifetime).value, 1243.8);
    // Back to the meter: its own value again, no offset added.
    EXPECT_DOUBLE_EQ(guard.update(1244.0, Origin::Meter).value, 1244.0);
    // The lifetime catching up passes through.
    EXPECT_DOUBLE_EQ(guard.update(1250.0, Origin::Lifetime).value, 1250.0);
}

TEST(Guard, NeverDecreasesOverAnArbitrarySequence) {
    Guard guard;
    const std::pair<double, Origin> samples[] = {{5, Origin::Integrated}, {4, Origin::Integrated}, {100, Origin::Meter},
                                                 {3, Origin::Meter},       {90, Origin::Lifetime},  {6, Origin::Integrated},
                                                 {110, Origin::Lifetime},  {0, Origin::Meter},      {1, Origin::Meter}};
    double last = 0;
    for (auto [raw, origin] : samples) {
        double value = guard.update(raw, origin).value;
        EXPECT_GE(value, last) << raw;
        last = value;
    }
    EXPECT_DOUBLE_EQ(last, 110.0);
}

TEST(Guard, RoundingJitterIsHeldWithoutAResetOrAWarning) {
    Guard guard;
    guard.update(3183.794, Origin::Meter);
    auto jitter = guard.update(3183.793, Origin::Meter);
    EXPECT_EQ(jitter.event, Guard::Event::None);
    EXPECT_DOUBLE_EQ(jitter.value, 3183.794);
    // No offset was added: the next real value is published as it is.
    auto next = guard.update(3183.800, Origin::Meter);
    EXPECT_DOUBLE_EQ(next.value, 3183.800);
    EXPECT_EQ(next.event, Guard::Event::None);
}
