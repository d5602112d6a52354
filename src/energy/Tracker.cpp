// energy/Tracker: when the counters are saved to RAM, flushed to storage and published.
#include "energy/Tracker.hpp"

#include "log/Log.hpp"

namespace energy {

Tracker::Tracker(loop::EventLoop& loop, TrackerSettings settings)
    : settings_(std::move(settings)),
      store_(settings_.state_dir, settings_.volatile_dir),
      counters_(settings_.counters, store_.load()),
      flush_timer_(loop),
      flushed_(counters_.state()) {
    if (!counters_.committed().empty()) LOG_INFO("energy: " << counters_.committed().size() << " integrated counters restored");
}

void Tracker::apply(model::Snapshot& snapshot) {
    const auto now = Clock::now();
    counters_.observe(snapshot, now);
    const bool due = now - last_save_ >= settings_.volatile_interval;
    if (counters_.uncommitted() && (counters_.commit_urgent() || due)) save_volatile(now);
    counters_.resolve(snapshot);
    if (counters_.state_urgent()) {
        // An offset changed (a meter reset, or its return): kept on storage at once, so neither a
        // kill nor a power cut can make the counter jump back or forth.
        save_volatile(now);
        flush();
    } else if (counters_.state_dirty() && !flush_timer_.pending()) {
        // The highest published values go with the next flush: no write per sample, and a
        // restart continues from the meters' own counters, which do not go back, anyway.
        flush_timer_.start(settings_.flush_interval, [this] { flush(); });
    }
}

void Tracker::save_volatile(Clock::time_point now) {
    // Published even when the RAM copy cannot be written (logged once by the store): the
    // flush to state_dir may still keep it.
    counters_.commit();
    store_.save_volatile(counters_.state());
    counters_.saved();
    last_save_ = now;
    if (!flush_timer_.pending()) flush_timer_.start(settings_.flush_interval, [this] { flush(); });
}

void Tracker::flush() {
    const Totals state = counters_.state();
    if (state != flushed_) {
        // The RAM copy first: at start the guards' state is taken from it, so it is never older.
        store_.save_volatile(state);
        counters_.saved();
        if (store_.save_state(state)) flushed_ = state;
    }
    flush_timer_.start(settings_.flush_interval, [this] { flush(); });
}

void Tracker::shutdown() {
    flush_timer_.cancel();
    if (counters_.uncommitted() || counters_.state_dirty()) save_volatile(Clock::now());
    flush_timer_.cancel();
    flush();
    flush_timer_.cancel();
}

}  // namespace energy
