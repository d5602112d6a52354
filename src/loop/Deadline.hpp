// loop/Deadline: a watchdog on the event loop. extend(limit) moves the deadline to now + limit;
// when the deadline passes without a further extend(), the callback runs once.
//
// Extending is what every sample of a source does, so it costs a clock read and no timer
// operation: the underlying Timer is armed once and, when it fires before the deadline (which
// moved meanwhile), it is armed again for the rest. It is re-armed at once only when a new
// deadline is earlier than the one it waits for (a shorter limit). Not thread-safe, like the loop.
#pragma once

#include <functional>

#include "loop/EventLoop.hpp"

namespace loop {

class Deadline {
public:
    Deadline(EventLoop& loop, std::function<void()> on_expired);
    Deadline(const Deadline&) = delete;
    Deadline& operator=(const Deadline&) = delete;

    // The callback runs if nothing extends the deadline again within limit from now.
    void extend(Clock::duration limit);
    // No callback until the next extend().
    void cancel();
    bool pending() const { return armed_; }

private:
    void arm(Clock::time_point at, Clock::time_point now);
    void check();

    Timer timer_;
    std::function<void()> on_expired_;
    Clock::time_point due_{};    // the deadline
    Clock::time_point timer_at_{};  // when timer_ fires
    bool armed_ = false;
};

}  // namespace loop
