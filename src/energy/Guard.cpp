// energy/Guard: the per-origin offset and the hold that keep a published counter monotonic.
#include "energy/Guard.hpp"

#include <cstddef>

namespace energy {

const char* describe(Origin origin) {
    switch (origin) {
        case Origin::Meter: return "the meter's counter";
        case Origin::Inverters: return "the microinverters' lifetime";
        case Origin::Lifetime: return "production.json whLifetime";
        case Origin::Integrated: return "the integrated power";
    }
    return "?";
}

Guard::Result Guard::update(double raw, Origin origin) {
    const auto index = static_cast<std::size_t>(origin);
    Result result;
    result.raw = raw;
    auto& last = last_raw_[index];
    // Counters arrive rounded (to 1 Wh); a step back within that is rounding, not a reset.
    constexpr double kRoundingKwh = 0.002;
    if (last && raw < *last && *last - raw <= kRoundingKwh) raw = *last;
    if (last && raw < *last) {
        result.event = Event::WentBack;
        result.previous = *last + offset_[index];
        offset_[index] += *last - raw;
    }
    last = raw;
    const double adjusted = raw + offset_[index];
    if (published_ && adjusted < *published_) {
        if (result.event == Event::None && !holding_) {
            result.event = Event::Held;
            result.previous = *published_;
        }
        holding_ = true;
        result.value = *published_;
        return result;
    }
    holding_ = false;
    published_ = adjusted;
    result.value = adjusted;
    return result;
}

}  // namespace energy
