// Unit: energy::Integrator — trapezoid integration, sign split, gaps.
#include <gtest/gtest.h>

#include "energy/Integrator.hpp"

using namespace std::chrono_literals;
using energy::Clock;
using energy::Integrator;

namespace {
const Clock::time_point t0{};
}

TEST(Integrator, FirstSampleAddsNothing) {
    Integrator integrator;
    auto increment = integrator.step(t0, 1000.0);
    EXPECT_EQ(increment.forward, 0.0);
    EXPECT_EQ(increment.reverse, 0.0);
}

TEST(Integrator, ConstantPowerForAnHourIsItsEnergy) {
    Integrator integrator(30s);
    integrator.step(t0, 3600.0);
    double kwh = 0;
    for (int s = 1; s <= 3600; ++s) kwh += integrator.step(t0 + std::chrono::seconds(s), 3600.0).forward;
    EXPECT_NEAR(kwh, 3.6, 1e-9);
}

TEST(Integrator, TrapezoidBetweenTwoSamples) {
    Integrator integrator;
    integrator.step(t0, 1000.0);
    auto increment = integrator.step(t0 + 18s, 3000.0);  // average 2000 W for 18 s = 10 Wh
    EXPECT_NEAR(increment.forward, 0.010, 1e-12);
    EXPECT_EQ(increment.reverse, 0.0);
}

TEST(Integrator, NegativePowerIsReverse) {
    Integrator integrator;
    integrator.step(t0, -2000.0);
    auto increment = integrator.step(t0 + 18s, -2000.0);
    EXPECT_EQ(increment.forward, 0.0);
    EXPECT_NEAR(increment.reverse, 0.010, 1e-12);
}

TEST(Integrator, SignChangeIsSplitAtTheZeroCrossing) {
    Integrator integrator;
    integrator.step(t0, 1000.0);
    // From +1000 W to -3000 W in 20 s: zero after 5 s. Import 1000/2 W * 5 s, export 3000/2 W * 15 s.
    auto increment = integrator.step(t0 + 20s, -3000.0);
    EXPECT_NEAR(increment.forward, 500.0 * 5 / 3600 / 1000, 1e-12);
    EXPECT_NEAR(increment.reverse, 1500.0 * 15 / 3600 / 1000, 1e-12);
}

TEST(Integrator, GapLongerThanTheLimitAddsNothing) {
    Integrator integrator(30s);
    integrator.step(t0, 5000.0);
    auto increment = integrator.step(t0 + 31s, 5000.0);
    EXPECT_EQ(increment.forward, 0.0);
    // Integration resumes from the sample after the gap.
    EXPECT_NEAR(integrator.step(t0 + 31s + 18s, 5000.0).forward, 0.025, 1e-12);
}

TEST(Integrator, UnknownPowerRestartsTheIntegration) {
    Integrator integrator;
    integrator.step(t0, 5000.0);
    EXPECT_EQ(integrator.step(t0 + 1s, std::nullopt).forward, 0.0);
    EXPECT_EQ(integrator.step(t0 + 2s, 5000.0).forward, 0.0);
    EXPECT_GT(integrator.step(t0 + 3s, 5000.0).forward, 0.0);
}

TEST(Integrator, ClockGoingBackwardsAddsNothing) {
    Integrator integrator;
    integrator.step(t0 + 10s, 5000.0);
    EXPECT_EQ(integrator.step(t0 + 5s, 5000.0).forward, 0.0);
    EXPECT_NEAR(integrator.step(t0 + 23s, 5000.0).forward, 0.025, 1e-12);
}
