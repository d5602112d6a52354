// energy/Guard: keeps one published energy counter from jumping or ever going down.
//
// A counter can come from several origins (the meter's own counter, the microinverters'
// lifetime, production.json's whLifetime, our own integration). Each origin's series is made
// monotonic by itself:
//   - a reading below the origin's last one (beyond 2 Wh of rounding) is ignored: a glitch (one
//     zero from a meter, a gateway reboot) must not move the counter;
//   - only a drop that persists for kResetReadings readings and lands near zero (below 1 kWh or
//     1 % of the last value) is a reset: an offset for that origin then absorbs the drop so the
//     counter continues from where it was;
//   - an origin that returns to its level from before such a reset (a jump up by more than half
//     the drop) had a glitch after all: its offset is cancelled.
// The published value is the running maximum over the adjusted series: when the source switches
// to an origin whose value is lower, the last value is held until the new one passes it (no
// offset, so switching back and forth never inflates the counter).
//
// The state (the highest published value, each origin's last reading, offset and reset) can be
// saved and restored, so a restart continues exactly where it was. Pure: no I/O, no clock.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>

#include "energy/CounterFile.hpp"

namespace energy {

enum class Origin : std::uint8_t { Meter, Inverters, Lifetime, Integrated };
inline constexpr int kOrigins = 4;

const char* describe(Origin origin);

class Guard {
public:
    static constexpr int kResetReadings = 3;

    enum class Event : std::uint8_t {
        None,
        Ignored,   // a reading below the origin's last one: ignored (the first of an episode)
        WentBack,  // the drop persisted near zero: a reset, absorbed by an offset from now on
        Returned,  // the origin came back to its level before the reset: the offset is cancelled
        Held,      // a lower value after an origin change: holding the last value
    };
    struct Result {
        double value = 0;           // what to publish
        Event event = Event::None;  // reported on the first sample of each episode only
        double raw = 0;             // the counter as received
        double previous = 0;        // the value it fell below (or returned to)
        bool state_changed = false; // an offset changed: save the state at once
    };

    Result update(double raw, Origin origin);
    std::optional<double> published() const { return published_; }

    // Adds the state to totals under "<key>@published", "<key>@<origin>.last|offset|reset".
    void save(const std::string& key, Totals& totals) const;
    // Takes the state saved under key, if any.
    void restore(const std::string& key, const Totals& totals);

private:
    struct Series {
        std::optional<double> last;  // the last accepted reading
        double offset = 0;
        double reset = 0;            // the part of the offset from the last reset (0: none)
        double reset_from = 0;       // the level the reset dropped from
        int dropped = 0;             // readings below last in a row
        double drop_start = 0;       // the first of them
    };

    Result publish(Result result, double adjusted);

    std::array<Series, kOrigins> series_{};
    std::optional<double> published_;
    bool holding_ = false;
    bool ignoring_ = false;
};

}  // namespace energy
