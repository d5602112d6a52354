// energy/Tracker: when the counters are saved to RAM, flushed to storage and published.
#include "energy/Tracker.hpp"

#include "log/Log.hpp"

namespace energy {

Tracker::Tracker(loop::EventLoop& loop, TrackerSettings settings)
    : settings_(std::move(settings)),
      store_(settings_.state_dir, settings_.volatile_dir),
      counters_(settings_.counters, store_.load()),
      flush_timer_(loop),
      flushed_(counters_.committed()) {
    if (!flushed_.empty()) LOG_INFO("energy: " << flushed_.size() << " integrated counters restored");
}

void Tracker::apply(model::Snapshot& snapshot) {
    const auto now = Clock::now();
    counters_.observe(snapshot, now);
    if (counters_.uncommitted() && (counters_.commit_urgent() || now - last_save_ >= settings_.volatile_interval)) {
        save_volatile(now);
    }
    counters_.resolve(snapshot);
}

void Tracker::save_volatile(Clock::time_point now) {
    // Published even when the RAM copy cannot be written (logged once by the store): the
    // flush to state_dir may still keep it.
    store_.save_volatile(counters_.integrated());
    counters_.commit();
    last_save_ = now;
    if (!flush_timer_.pending()) flush_timer_.start(settings_.flush_interval, [this] { flush(); });
}

void Tracker::flush() {
    if (counters_.committed() == flushed_) return;
    if (store_.save_state(counters_.committed())) flushed_ = counters_.committed();
    flush_timer_.start(settings_.flush_interval, [this] { flush(); });
}

void Tracker::shutdown() {
    flush_timer_.cancel();
    if (counters_.uncommitted()) save_volatile(Clock::now());
    flush_timer_.cancel();
    flush();
    flush_timer_.cancel();
}

}  // namespace energy
