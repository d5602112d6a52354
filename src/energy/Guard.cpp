// energy/Guard: glitches ignored, persisting resets absorbed, returns cancelled, lower origins held.
#include "energy/Guard.hpp"

#include <algorithm>
#include <cstddef>

namespace energy {
namespace {

// Counters arrive rounded (to 1 Wh); a step back within that is rounding, not a drop.
constexpr double kRoundingKwh = 0.002;
// A reset starts the meter again near zero: below this, or this fraction of where it was.
constexpr double kNearZeroKwh = 1.0;
constexpr double kNearZeroShare = 0.01;

const char* const kOriginKeys[kOrigins] = {"meter", "inverters", "lifetime", "integrated"};

bool near_zero(double raw, double last) { return raw < kNearZeroKwh || raw < last * kNearZeroShare; }

}  // namespace

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
    Series& s = series_[static_cast<std::size_t>(origin)];
    Result result;
    result.raw = raw;
    if (s.last && raw < *s.last && *s.last - raw <= kRoundingKwh) raw = *s.last;
    if (s.last && raw < *s.last) {
        if (near_zero(raw, *s.last)) {
            if (s.dropped++ == 0) s.drop_start = raw;
        } else {
            s.dropped = 0;  // far from zero: never a reset, only a glitch
        }
        if (s.dropped >= kResetReadings) {
            s.reset = *s.last - s.drop_start;
            s.reset_from = *s.last;
            s.offset += s.reset;
            s.dropped = 0;
            result.event = Event::WentBack;
            result.previous = *s.last + s.offset - s.reset;
            result.state_changed = true;
            s.last = raw;
            ignoring_ = false;
            return publish(result, raw + s.offset);
        }
        if (!ignoring_) {
            result.event = Event::Ignored;
            result.previous = *s.last + s.offset;
        }
        ignoring_ = true;
        result.value = published_.value_or(*s.last + s.offset);
        return result;
    }
    s.dropped = 0;
    ignoring_ = false;
    if (s.last && s.reset > 0 && raw - *s.last > s.reset / 2 && raw >= s.reset_from - kRoundingKwh) {
        s.offset -= s.reset;
        s.reset = 0;
        result.event = Event::Returned;
        result.previous = s.reset_from;
        result.state_changed = true;
    }
    s.last = raw;
    return publish(result, raw + s.offset);
}

Guard::Result Guard::publish(Result result, double adjusted) {
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

void Guard::save(const std::string& key, Totals& totals) const {
    if (published_) totals[key + "@published"] = *published_;
    for (int i = 0; i < kOrigins; ++i) {
        const Series& s = series_[static_cast<std::size_t>(i)];
        if (!s.last) continue;
        const std::string prefix = key + "@" + kOriginKeys[i] + ".";
        totals[prefix + "last"] = *s.last;
        totals[prefix + "offset"] = s.offset;
        totals[prefix + "reset"] = s.reset;
        totals[prefix + "reset_from"] = s.reset_from;
    }
}

void Guard::restore(const std::string& key, const Totals& totals) {
    const auto value = [&](const std::string& name) -> std::optional<double> {
        auto it = totals.find(name);
        return it == totals.end() ? std::nullopt : std::optional<double>(it->second);
    };
    if (auto published = value(key + "@published")) published_ = *published;
    for (int i = 0; i < kOrigins; ++i) {
        const std::string prefix = key + "@" + kOriginKeys[i] + ".";
        auto last = value(prefix + "last");
        if (!last) continue;
        Series& s = series_[static_cast<std::size_t>(i)];
        s.last = *last;
        s.offset = value(prefix + "offset").value_or(0.0);
        s.reset = value(prefix + "reset").value_or(0.0);
        s.reset_from = value(prefix + "reset_from").value_or(0.0);
    }
}

}  // namespace energy
