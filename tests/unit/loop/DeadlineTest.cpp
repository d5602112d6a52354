// loop::Deadline on a real EventLoop: it fires once, only after limit without an extension,
// follows a shorter limit at once, and a cancel or an extension keeps it quiet.
#include <gtest/gtest.h>

#include <chrono>

#include "loop/Deadline.hpp"
#include "loop/EventLoop.hpp"

namespace {

using namespace std::chrono_literals;
using loop::Clock;

// Runs the loop until done() or the time is up (a deadline, not a sleep).
template <class F>
void run_until(loop::EventLoop& loop, Clock::duration limit, F done) {
    const auto end = Clock::now() + limit;
    while (!done() && Clock::now() < end) loop.run_once(end - Clock::now());
}

TEST(Deadline, FiresOnceAfterTheLimitWithoutExtension) {
    loop::EventLoop loop;
    int fired = 0;
    Clock::time_point fired_at{};
    loop::Deadline deadline(loop, [&] {
        ++fired;
        fired_at = Clock::now();
    });
    deadline.extend(80ms);
    const auto start = Clock::now();
    run_until(loop, 2s, [&] { return fired > 0; });
    ASSERT_EQ(fired, 1);
    EXPECT_GE(fired_at - start, 80ms);
    EXPECT_LT(fired_at - start, 80ms + 200ms);
    EXPECT_FALSE(deadline.pending());
    run_until(loop, 200ms, [] { return false; });
    EXPECT_EQ(fired, 1);
}

TEST(Deadline, ExtensionsKeepItQuietAndTheLastOneCounts) {
    loop::EventLoop loop;
    int fired = 0;
    Clock::time_point fired_at{};
    loop::Deadline deadline(loop, [&] {
        ++fired;
        fired_at = Clock::now();
    });
    // Extended every 20 ms for 400 ms with a 100 ms limit: never silent long enough.
    Clock::time_point last_extension{};
    int extensions = 0;
    std::function<void()> feed;
    loop::Timer feeder(loop);
    feed = [&] {
        deadline.extend(100ms);
        last_extension = Clock::now();
        if (++extensions < 20) feeder.start(20ms, feed);
    };
    feed();
    run_until(loop, 3s, [&] { return fired > 0; });
    ASSERT_EQ(extensions, 20);
    ASSERT_EQ(fired, 1);
    EXPECT_GE(fired_at - last_extension, 100ms);
    EXPECT_LT(fired_at - last_extension, 100ms + 200ms);
}

TEST(Deadline, AShorterLimitTakesEffectAtOnce) {
    loop::EventLoop loop;
    int fired = 0;
    loop::Deadline deadline(loop, [&] { ++fired; });
    deadline.extend(10s);
    deadline.extend(50ms);
    const auto start = Clock::now();
    run_until(loop, 3s, [&] { return fired > 0; });
    EXPECT_EQ(fired, 1);
    EXPECT_LT(Clock::now() - start, 2s);
}

TEST(Deadline, CancelStopsItAndExtendStartsItAgain) {
    loop::EventLoop loop;
    int fired = 0;
    loop::Deadline deadline(loop, [&] { ++fired; });
    deadline.extend(30ms);
    deadline.cancel();
    EXPECT_FALSE(deadline.pending());
    run_until(loop, 150ms, [] { return false; });
    EXPECT_EQ(fired, 0);
    deadline.extend(30ms);
    EXPECT_TRUE(deadline.pending());
    run_until(loop, 2s, [&] { return fired > 0; });
    EXPECT_EQ(fired, 1);
    deadline.extend(30ms);
    run_until(loop, 2s, [&] { return fired > 1; });
    EXPECT_EQ(fired, 2);
}

}  // namespace
