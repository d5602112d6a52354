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

TEST(Guard, MeterResetContinuesFromTheLastValueWithAnOffset) {
    Guard guard;
    guard.update(100.0, Origin::Meter);
    auto reset = guard.update(0.5, Origin::Meter);
    EXPECT_EQ(reset.event, Guard::Event::WentBack);
    EXPECT_DOUBLE_EQ(reset.value, 100.0);
    EXPECT_DOUBLE_EQ(reset.previous, 100.0);
    EXPECT_DOUBLE_EQ(reset.raw, 0.5);
    // Increases after the reset are counted on top.
    auto after = guard.update(2.5, Origin::Meter);
    EXPECT_DOUBLE_EQ(after.value, 102.0);
    EXPECT_EQ(after.event, Guard::Event::None);
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
