// energy/Tracker: the daemon's energy counters: Counters plus their persistence on the loop.
//
// apply() runs on every snapshot before the sinks. While some counter is integrated, the
// totals are saved to volatile_dir at most every volatile_interval (and at once when a
// counter starts integrating) and only then published, so a value once shown survives a
// kill -9; every flush_interval, and at shutdown(), they are copied to state_dir. A power
// cut loses the RAM copy: the counters then resume from the last flush, at most
// flush_interval of integrated energy behind.
#pragma once

#include <chrono>
#include <string>

#include "energy/Counters.hpp"
#include "energy/Store.hpp"
#include "loop/EventLoop.hpp"

namespace energy {

struct TrackerSettings {
    std::string state_dir;
    std::string volatile_dir;
    std::chrono::seconds flush_interval{900};
    std::chrono::seconds volatile_interval{5};
    CounterSettings counters;
};

class Tracker {
public:
    // Loads the saved counters (the larger of the two copies).
    Tracker(loop::EventLoop& loop, TrackerSettings settings);
    Tracker(const Tracker&) = delete;
    Tracker& operator=(const Tracker&) = delete;

    void apply(model::Snapshot& snapshot);
    // Saves everything integrated so far to both folders. Safe to call more than once.
    void shutdown();

private:
    void save_volatile(Clock::time_point now);
    void flush();

    TrackerSettings settings_;
    Store store_;
    Counters counters_;
    loop::Timer flush_timer_;
    Clock::time_point last_save_{};
    Totals flushed_;
};

}  // namespace energy
