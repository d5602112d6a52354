// Unit tests of envoy::LimitPolicy, the decision of when a production limit is written. The
// expectations follow the rules written in LimitPolicy.hpp, worked by hand for a 3000 W roof
// (step 2 % of 3000 = 60 W), a 10 s write interval and a 60 s restore timeout.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "envoy/LimitPolicy.hpp"

using envoy::LimitPolicy;
using namespace std::chrono_literals;

namespace {

using Kind = LimitPolicy::Action::Kind;
const LimitPolicy::Clock::time_point t0{std::chrono::hours(1)};

LimitPolicy roof() {
    envoy::LimitPolicySettings settings;
    settings.max_power_w = 3000;
    settings.min_step_w = envoy::default_min_step(3000);
    settings.min_interval = 10s;
    settings.restore_after = 60s;
    return LimitPolicy(settings);
}

// Writes what the policy asks for at now (as the limiter does once the gateway accepted it).
LimitPolicy::Action write(LimitPolicy& policy, LimitPolicy::Clock::time_point now) {
    auto action = policy.next(now);
    policy.written(action, now);
    return action;
}

// The roof's policy after Venus asked for watts at t0 and the limit was written then.
LimitPolicy holding(double watts) {
    auto policy = roof();
    policy.request(watts, t0);
    write(policy, t0);
    return policy;
}

}  // namespace

TEST(LimitPolicy, TheStepIsTwoPercentOfTheRoofAndAtLeastFiftyWatts) {
    EXPECT_DOUBLE_EQ(envoy::default_min_step(3000), 60);
    EXPECT_DOUBLE_EQ(envoy::default_min_step(10000), 200);
    EXPECT_DOUBLE_EQ(envoy::default_min_step(1000), 50);
}

TEST(LimitPolicy, NothingIsWrittenWithoutARequest) {
    auto policy = roof();
    EXPECT_EQ(policy.next(t0), LimitPolicy::Action{});
    EXPECT_EQ(policy.wake_at(t0), std::nullopt);
}

TEST(LimitPolicy, AFirstRequestIsWrittenAtOnceInWholeWatts) {
    auto policy = roof();
    EXPECT_DOUBLE_EQ(policy.request(1000.4, t0), 1000.4);
    EXPECT_EQ(write(policy, t0), (LimitPolicy::Action{Kind::Limit, 1000}));
    EXPECT_EQ(policy.written_limit(), 1000);
    EXPECT_EQ(policy.next(t0 + 1s), LimitPolicy::Action{});
}

TEST(LimitPolicy, RequestsAreClampedToTheRoof) {
    auto policy = roof();
    EXPECT_DOUBLE_EQ(policy.request(-5, t0), 0);
    EXPECT_EQ(policy.next(t0), (LimitPolicy::Action{Kind::Limit, 0}));
    EXPECT_DOUBLE_EQ(policy.request(5000, t0), 3000);
    EXPECT_DOUBLE_EQ(policy.request(std::numeric_limits<double>::quiet_NaN(), t0), 3000);
}

TEST(LimitPolicy, ChangesSmallerThanTheStepAreNotWritten) {
    auto policy = holding(1000);
    policy.request(1059, t0 + 20s);  // 59 W < 60 W
    EXPECT_EQ(policy.next(t0 + 20s), LimitPolicy::Action{});
    policy.request(941, t0 + 21s);  // -59 W
    EXPECT_EQ(policy.next(t0 + 21s), LimitPolicy::Action{});
    policy.request(940, t0 + 22s);  // -60 W
    EXPECT_EQ(policy.next(t0 + 22s), (LimitPolicy::Action{Kind::Limit, 940}));
}

TEST(LimitPolicy, WritesAreAtLeastTheIntervalApart) {
    auto policy = holding(1000);
    policy.request(1500, t0 + 3s);
    EXPECT_EQ(policy.next(t0 + 3s), LimitPolicy::Action{});
    EXPECT_EQ(policy.wake_at(t0 + 3s), t0 + 10s);
    policy.request(1600, t0 + 9s);
    EXPECT_EQ(policy.next(t0 + 9s), LimitPolicy::Action{});
    EXPECT_EQ(write(policy, t0 + 10s), (LimitPolicy::Action{Kind::Limit, 1600}));
}

TEST(LimitPolicy, ARequestNearTheRoofReleasesTheLimitAfterTheInterval) {
    auto policy = holding(1000);
    policy.request(2941, t0 + 5s);  // above 3000 - 60: no limit
    EXPECT_EQ(policy.target(t0 + 5s), std::nullopt);
    EXPECT_EQ(policy.next(t0 + 5s), LimitPolicy::Action{});
    EXPECT_EQ(write(policy, t0 + 10s), (LimitPolicy::Action{Kind::Release, 0}));
    EXPECT_EQ(policy.written_limit(), std::nullopt);
    policy.request(2999, t0 + 30s);
    EXPECT_EQ(policy.next(t0 + 30s), LimitPolicy::Action{});
    policy.request(2940, t0 + 31s);  // exactly 3000 - 60: a limit again
    EXPECT_EQ(policy.next(t0 + 31s), (LimitPolicy::Action{Kind::Limit, 2940}));
}

TEST(LimitPolicy, AControllerThatStopsWritingGetsFullPowerBackAfterTheTimeout) {
    auto policy = holding(500);
    EXPECT_EQ(policy.wake_at(t0 + 1s), t0 + 60s);
    EXPECT_EQ(policy.next(t0 + 59s), LimitPolicy::Action{});
    EXPECT_EQ(policy.target(t0 + 60s), std::nullopt);
    EXPECT_EQ(write(policy, t0 + 60s), (LimitPolicy::Action{Kind::Release, 0}));
    EXPECT_EQ(policy.next(t0 + 120s), LimitPolicy::Action{});
    EXPECT_EQ(policy.wake_at(t0 + 120s), std::nullopt);
}

TEST(LimitPolicy, ALimitTheDriverDidNotWriteIsNeverReleased) {
    auto policy = roof();
    policy.request(3000, t0);  // Venus at rest writes /Ac/MaxPower
    EXPECT_EQ(policy.next(t0), LimitPolicy::Action{});
    EXPECT_EQ(policy.next(t0 + 120s), LimitPolicy::Action{});
}

TEST(LimitPolicy, ALimitWrittenBeforeARestartIsReleased) {
    auto policy = roof();
    policy.adopt(800);
    EXPECT_EQ(policy.next(t0), (LimitPolicy::Action{Kind::Release, 0}));
}

TEST(LimitPolicy, AfterForgetTheSameLimitIsWrittenAgain) {
    auto policy = holding(1000);
    policy.request(1000, t0 + 15s);
    EXPECT_EQ(policy.next(t0 + 15s), LimitPolicy::Action{});
    policy.forget();
    EXPECT_EQ(policy.next(t0 + 15s), (LimitPolicy::Action{Kind::Limit, 1000}));
}

TEST(LimitPolicy, AFailedWriteIsRetriedAfterTheIntervalNotAtOnce) {
    auto policy = roof();
    policy.request(1000, t0);
    policy.failed(t0);
    EXPECT_EQ(policy.next(t0 + 1s), LimitPolicy::Action{});
    EXPECT_EQ(policy.wake_at(t0 + 1s), t0 + 10s);
    EXPECT_EQ(policy.next(t0 + 10s), (LimitPolicy::Action{Kind::Limit, 1000}));
}
