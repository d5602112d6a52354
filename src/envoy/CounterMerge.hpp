// envoy: completing each sample with the counters its source lacks (pure; explicit time
// points). The stream carries power but no energy counters: they come from the latest readings
// (a readings sample, or the readings request made for them while streaming) as long as those
// are fresh, and so do the other CTs (storage, backfeed, ...), which the stream does not carry.
// Every source but production.json itself also gets production.json's daily and
// lifetime counters and, where it has no PV, the inverters' figure. A sample that needs
// nothing added is handed on as it is; a completed one is built in a buffer that is reused.
#pragma once

#include <chrono>
#include <optional>

#include "model/Production.hpp"
#include "model/Snapshot.hpp"

namespace envoy {

class CounterMerge {
public:
    using TimePoint = std::chrono::steady_clock::time_point;

    // Readings older than max_age are not merged any more.
    explicit CounterMerge(std::chrono::milliseconds max_age) : max_age_(max_age) {}

    // The latest readings (meters with their own counters), read at `at`.
    void set_readings(const model::Snapshot& readings, TimePoint at);
    // `sample` from a source of this kind, with what it lacks filled in. The reference is
    // valid until the next call.
    const model::Snapshot& complete(const model::Snapshot& sample, model::Source kind,
                                    const std::optional<model::ProductionSummary>& production, TimePoint now);

private:
    std::chrono::milliseconds max_age_;
    std::optional<model::Snapshot> readings_;
    TimePoint readings_at_{};
    model::Snapshot completed_;
};

}  // namespace envoy
