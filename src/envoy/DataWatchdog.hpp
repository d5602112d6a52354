// envoy: the lost-data watchdog. Every sample feeds it; when none arrives within the limit of
// the source that delivers (a little more than the stream's stall timeout, or three polling
// periods of a polled source) it says once that data is lost, so that no stale value stays
// published. Data that stops on purpose (a new probe, a rejected token) is lost at once.
#pragma once

#include <chrono>
#include <functional>

#include "envoy/Settings.hpp"
#include "loop/Deadline.hpp"
#include "loop/EventLoop.hpp"
#include "model/Snapshot.hpp"

namespace envoy {

// How long a source of this kind may stay silent before its data counts as lost.
std::chrono::milliseconds lost_after(const Settings& settings, model::Source kind);

class DataWatchdog {
public:
    DataWatchdog(loop::EventLoop& loop, std::function<void()> on_lost);

    // A sample arrived; the next must come within `limit`. True for the first one since data
    // was lost (or ever).
    bool fed(std::chrono::milliseconds limit);
    // Data stopped on purpose: lost now, if it was flowing.
    void stop();

private:
    void expire();

    std::function<void()> on_lost_;
    loop::Deadline deadline_;
    std::chrono::milliseconds limit_{};
    bool delivering_ = false;
};

}  // namespace envoy
