// Test support: driving a loop::EventLoop from a test's own thread until a condition holds (with
// a deadline, never a sleep) or for a fixed while (to show that something does NOT happen). The
// loop waits at most 20 ms at a time, so a condition set by another thread (a subscriber, a
// child process) is seen promptly. Header-only; the test links ee_loop.
#pragma once

#include <chrono>
#include <functional>

#include "loop/EventLoop.hpp"

namespace testsupport {

inline constexpr std::chrono::milliseconds kSlice{20};

// Runs the loop until done() holds; false at the deadline.
inline bool pump_until(loop::EventLoop& loop, const std::function<bool()>& done,
                       std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
    const auto deadline = loop::Clock::now() + timeout;
    while (!done()) {
        if (loop::Clock::now() >= deadline) return false;
        loop.run_once(kSlice);
    }
    return true;
}

// Runs the loop for duration.
inline void pump_for(loop::EventLoop& loop, std::chrono::milliseconds duration) {
    const auto until = loop::Clock::now() + duration;
    while (loop::Clock::now() < until) loop.run_once(kSlice);
}

}  // namespace testsupport
