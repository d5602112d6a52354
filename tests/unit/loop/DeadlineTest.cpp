// loop::Deadline on a real EventLoop: it fires once, only after limit without an extension,
// follows a shorter limit at once, and a cancel or an extension keeps it quiet.
#include <gtest/gtest.h>

#include <chrono>
#include <functional>

#include "LoopPump.hpp"
#include "loop/Deadline.hpp"
#include "loop/EventLoop.hpp"

namespace {

using namespace std::chrono_literals;
using loop::Clock;
using testsupport::pump_for;
using testsupport::pump_until;

// What the deadline's callback saw: how often it ran, and when last.
struct Firings {
    int count = 0;
    Clock::time_point last{};
    std::function<void()> callback() {
        return [this] {
            ++count;
            last = Clock::now();
        };
    }
};

TEST(Deadline, FiresOnceAfterTheLimitWithoutExtension) {
    loop::EventLoop loop;
    Firings fired;
    loop::Deadline deadline(loop, fired.callback());
    deadline.extend(80ms);
    const auto start = Clock::now();
    pump_until(loop, [&] { return fired.count > 0; }, 2s);
    ASSERT_EQ(fired.count, 1);
    EXPECT_GE(fired.last - start, 80ms);
    EXPECT_LT(fired.last - start, 80ms + 200ms);
    EXPECT_FALSE(deadline.pending());
    pump_for(loop, 200ms);
    EXPECT_EQ(fired.count, 1);
}

TEST(Deadline, ExtensionsKeepItQuietAndTheLastOneCounts) {
    loop::EventLoop loop;
    Firings fired;
    loop::Deadline deadline(loop, fired.callback());
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
    pump_until(loop, [&] { return fired.count > 0; }, 3s);
    ASSERT_EQ(extensions, 20);
    ASSERT_EQ(fired.count, 1);
    EXPECT_GE(fired.last - last_extension, 100ms);
    EXPECT_LT(fired.last - last_extension, 100ms + 200ms);
}

TEST(Deadline, AShorterLimitTakesEffectAtOnce) {
    loop::EventLoop loop;
    Firings fired;
    loop::Deadline deadline(loop, fired.callback());
    deadline.extend(10s);
    deadline.extend(50ms);
    const auto start = Clock::now();
    pump_until(loop, [&] { return fired.count > 0; }, 3s);
    EXPECT_EQ(fired.count, 1);
    EXPECT_LT(Clock::now() - start, 2s);
}

TEST(Deadline, CancelStopsItAndExtendStartsItAgain) {
    loop::EventLoop loop;
    Firings fired;
    loop::Deadline deadline(loop, fired.callback());
    deadline.extend(30ms);
    deadline.cancel();
    EXPECT_FALSE(deadline.pending());
    pump_for(loop, 150ms);
    EXPECT_EQ(fired.count, 0);
    deadline.extend(30ms);
    EXPECT_TRUE(deadline.pending());
    pump_until(loop, [&] { return fired.count > 0; }, 2s);
    EXPECT_EQ(fired.count, 1);
    deadline.extend(30ms);
    pump_until(loop, [&] { return fired.count > 1; }, 2s);
    EXPECT_EQ(fired.count, 2);
}

}  // namespace
