// envoy: DataWatchdog implementation.
#include "envoy/DataWatchdog.hpp"

#include <algorithm>

#include "log/Log.hpp"

namespace envoy {

std::chrono::milliseconds lost_after(const Settings& settings, model::Source kind) {
    const auto limit = settings.stream_timeout + std::chrono::milliseconds(1000);
    switch (kind) {
        case model::Source::Inverters: return std::max(limit, settings.inverters_interval * 3);
        case model::Source::Readings: return std::max(limit, settings.readings_interval * 3);
        case model::Source::ProductionJson: return std::max(limit, settings.production_json_interval * 3);
        case model::Source::Stream:
        case model::Source::None: break;
    }
    return limit;
}

DataWatchdog::DataWatchdog(loop::EventLoop& loop, std::function<void()> on_lost)
    : on_lost_(std::move(on_lost)), deadline_(loop, [this]() { expire(); }) {}

bool DataWatchdog::fed(std::chrono::milliseconds limit) {
    const bool first = !delivering_;
    delivering_ = true;
    limit_ = limit;
    deadline_.extend(limit);
    return first;
}

void DataWatchdog::expire() {
    if (!delivering_) return;
    delivering_ = false;
    LOG_WARNING("no data from the gateway for " << limit_.count() << " ms: values are unknown until it comes back");
    on_lost_();
}

void DataWatchdog::stop() {
    if (!delivering_) return;
    delivering_ = false;
    deadline_.cancel();
    on_lost_();
}

}  // namespace envoy
