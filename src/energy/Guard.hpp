// energy/Guard: keeps one published energy counter from ever going down while running.
//
// A counter can come from several origins (the meter's own counter, the microinverters'
// lifetime, production.json's whLifetime, our own integration). Each origin's series is made
// monotonic by itself: when it jumps backwards (a meter reset), an offset for that origin
// absorbs the drop so it continues from where it was. The published value is the running
// maximum over the adjusted series: when the source switches to an origin whose value is
// lower, the last value is held until the new one passes it (no offset, so switching back
// and forth never inflates the counter). Pure: no I/O, no clock.
#pragma once

#include <array>
#include <cstdint>
#include <optional>

namespace energy {

enum class Origin : std::uint8_t { Meter, Inverters, Lifetime, Integrated };
inline constexpr int kOrigins = 4;

const char* describe(Origin origin);

class Guard {
public:
    enum class Event : std::uint8_t {
        None,
        WentBack,  // the origin's own counter dropped: an offset now absorbs the drop
        Held,      // a lower value after an origin change: holding the last value
    };
    struct Result {
        double value = 0;           // what to publish
        Event event = Event::None;  // reported on the first sample of each episode only
        double raw = 0;             // the counter as received
        double previous = 0;        // the value it fell below
    };

    Result update(double raw, Origin origin);
    std::optional<double> published() const { return published_; }

private:
    std::array<std::optional<double>, kOrigins> last_raw_{};
    std::array<double, kOrigins> offset_{};
    std::optional<double> published_;
    bool holding_ = false;
};

}  // namespace energy
