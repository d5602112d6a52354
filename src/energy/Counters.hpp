// energy/Counters: turns each snapshot's energy values into the counters the sinks publish.
//
// For every meter (pv, grid, consumption), slot (total, L1..L3) and direction (forward,
// reverse) the counter is, best first:
//   1. the gateway's own counter (energy_forward / energy_reverse: the meter's actEnergyDlvd /
//      actEnergyRcvd, or the microinverters' lifetime on the inverters source);
//   2. forward of pv and consumption only: whLifetime of /production.json;
//   3. when the gateway has offered neither for `grace` (stream-only access): the power
//      integrated over time (pv forward, grid and consumption forward and reverse), starting
//      from the persisted total. Energy integrated during the grace counts once it is over;
//      if a counter shows up before, it is dropped, so nothing is written in counter mode.
// Each result then goes through a Guard, so no published counter ever jumps on a glitch or
// decreases, and with the guards' state persisted (state()), not across a restart either. A
// counter with no value at all is left empty (published as invalid).
//
// The integrated totals are published only once committed, i.e. saved to the volatile file
// (Tracker does that), so a value seen on D-Bus is never lost by a kill. Pure: no I/O; the
// caller passes the time.
#pragma once

#include <array>
#include <optional>
#include <string>

#include "energy/CounterFile.hpp"
#include "energy/Guard.hpp"
#include "energy/Integrator.hpp"
#include "model/Snapshot.hpp"

namespace energy {

struct CounterSettings {
    Clock::duration grace = std::chrono::seconds(15);    // counter missing this long: integrate
    Clock::duration max_gap = std::chrono::seconds(30);  // longer gaps between samples add nothing
};

class Counters {
public:
    // restored: what state() gave before (integrated totals and the guards' state).
    explicit Counters(CounterSettings settings = {}, const Totals& restored = {});

    // Integrates the power of the counters the gateway does not provide.
    void observe(const model::Snapshot& snapshot, Clock::time_point now);
    // Fills energy_forward / energy_reverse with the values to publish.
    void resolve(model::Snapshot& snapshot);

    // The integrated totals, including what is not committed yet.
    const Totals& integrated() const { return integrated_; }
    bool uncommitted() const { return integrated_ != committed_; }
    // A counter started integrating and has no committed value yet: commit without waiting.
    bool commit_urgent() const;
    void commit() { committed_ = integrated_; }
    const Totals& committed() const { return committed_; }

    // What to persist: the committed integrated totals and every guard's state (Guard::save).
    Totals state() const;
    // The guards' state changed since the last saved(): the published values (dirty), or an
    // offset after a reset or a return (urgent: save and flush at once).
    bool state_dirty() const { return state_dirty_; }
    bool state_urgent() const { return state_urgent_; }
    void saved() { state_dirty_ = state_urgent_ = false; }

private:
    static constexpr int kMeters = 3;
    static constexpr int kSlots = model::kMaxPhases + 1;  // total, L1..L3
    static constexpr int kDirections = 2;                 // forward, reverse

    struct Counter {
        Guard guard;
        std::optional<Clock::time_point> missing_since;
        std::optional<Clock::time_point> meter_missing_since;  // no counter of the meter's own
        bool lifetime_allowed = false;  // on the stream: production.json's lifetime may stand in
        double pending = 0;  // kWh integrated during the grace
        bool integrating = false;
        bool warned = false;
    };
    struct Slot {
        Integrator integrator;
        std::array<Counter, kDirections> directions;
    };

    Slot& slot(int meter, int index) { return slots_[static_cast<std::size_t>(meter * kSlots + index)]; }
    template <class F>
    void for_each_counter(F&& f);
    static const std::string& key(int meter, int index, int direction);
    void log_event(Counter& counter, const std::string& name, const Guard::Result& result, Origin origin);

    CounterSettings settings_;
    std::array<Slot, kMeters * kSlots> slots_;
    Totals integrated_;
    Totals committed_;
    bool state_dirty_ = false;
    bool state_urgent_ = false;
};

}  // namespace energy
