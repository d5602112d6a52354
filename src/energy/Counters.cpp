// energy/Counters: choice of the counter per meter, slot and direction; integration; guard.
#include "energy/Counters.hpp"

#include <algorithm>

#include "log/Log.hpp"

namespace energy {
namespace {

constexpr const char* kMeterNames[] = {"pv", "grid", "consumption"};
constexpr const char* kDirectionNames[] = {"forward", "reverse"};
constexpr int kPv = 0;
constexpr int kGrid = 1;
constexpr int kForward = 0;

const model::MeterValues& meter_of(const model::Snapshot& s, int meter) {
    return meter == kPv ? s.pv : meter == kGrid ? s.grid : s.consumption;
}

model::MeterValues& meter_of(model::Snapshot& s, int meter) {
    return meter == kPv ? s.pv : meter == kGrid ? s.grid : s.consumption;
}

int slot_count(const model::MeterValues& meter) {
    return meter.present ? 1 + std::clamp(meter.phase_count, 0, model::kMaxPhases) : 0;
}

const model::PhaseValues& values_of(const model::MeterValues& meter, int index) {
    return index == 0 ? meter.total : meter.phases[static_cast<std::size_t>(index - 1)];
}

model::PhaseValues& values_of(model::MeterValues& meter, int index) {
    return index == 0 ? meter.total : meter.phases[static_cast<std::size_t>(index - 1)];
}

struct Reading {
    double kwh;
    Origin origin;
};

// The gateway's counter for this direction, if it offers one.
std::optional<Reading> gateway_counter(const model::PhaseValues& values, int meter, int direction, model::Source source) {
    const model::Value& counter = direction == kForward ? values.energy_forward : values.energy_reverse;
    if (counter) return Reading{*counter, source == model::Source::Inverters ? Origin::Inverters : Origin::Meter};
    if (direction == kForward && meter != kGrid && values.wh_lifetime) return Reading{*values.wh_lifetime / 1000.0, Origin::Lifetime};
    return std::nullopt;
}

bool integrable(int meter, int direction) { return meter != kPv || direction == kForward; }

}  // namespace

Counters::Counters(CounterSettings settings, const Totals& restored) : settings_(settings) {
    for (auto& s : slots_) s.integrator = Integrator(settings_.max_gap);
    for (const auto& [name, kwh] : restored) {
        if (name.find('@') == std::string::npos) integrated_[name] = kwh;  // the rest is the guards' state
    }
    committed_ = integrated_;
    for_each_counter([&](Counter& counter, const std::string& name) { counter.guard.restore(name, restored); });
}

template <class F>
void Counters::for_each_counter(F&& f) {
    for (int meter = 0; meter < kMeters; ++meter) {
        for (int index = 0; index < kSlots; ++index) {
            for (int direction = 0; direction < kDirections; ++direction) {
                f(slot(meter, index).directions[static_cast<std::size_t>(direction)], key(meter, index, direction));
            }
        }
    }
}

Totals Counters::state() const {
    Totals out = committed_;
    for (int meter = 0; meter < kMeters; ++meter) {
        for (int index = 0; index < kSlots; ++index) {
            for (int direction = 0; direction < kDirections; ++direction) {
                slots_[static_cast<std::size_t>(meter * kSlots + index)]
                    .directions[static_cast<std::size_t>(direction)]
                    .guard.save(key(meter, index, direction), out);
            }
        }
    }
    return out;
}

const std::string& Counters::key(int meter, int index, int direction) {
    // Built once: an integrating counter looks its name up on every sample.
    static const auto names = [] {
        std::array<std::string, kMeters * kSlots * kDirections> all;
        for (int m = 0; m < kMeters; ++m) {
            for (int i = 0; i < kSlots; ++i) {
                for (int d = 0; d < kDirections; ++d) {
                    all[static_cast<std::size_t>((m * kSlots + i) * kDirections + d)] =
                        std::string(kMeterNames[m]) + "." + (i == 0 ? std::string("total") : "L" + std::to_string(i)) + "." +
                        kDirectionNames[d];
                }
            }
        }
        return all;
    }();
    return names[static_cast<std::size_t>((meter * kSlots + index) * kDirections + direction)];
}

bool Counters::commit_urgent() const {
    return std::any_of(integrated_.begin(), integrated_.end(), [this](const auto& entry) { return !committed_.count(entry.first); });
}

void Counters::observe(const model::Snapshot& snapshot, Clock::time_point now) {
    for (int meter = 0; meter < kMeters; ++meter) {
        const model::MeterValues& values = meter_of(snapshot, meter);
        for (int index = 0; index < slot_count(values); ++index) {
            const model::PhaseValues& phase = values_of(values, index);
            Slot& s = slot(meter, index);
            std::array<bool, kDirections> missing{};
            for (int direction = 0; direction < kDirections; ++direction) {
                missing[direction] = integrable(meter, direction) && !gateway_counter(phase, meter, direction, snapshot.source);
            }
            if (!missing[0] && !missing[1]) {
                s.integrator.reset();
            }
            const Increment increment = missing[0] || missing[1] ? s.integrator.step(now, phase.power) : Increment{};
            for (int direction = 0; direction < kDirections; ++direction) {
                Counter& counter = s.directions[static_cast<std::size_t>(direction)];
                // The meter's own counter reaches the stream a moment after it starts (merged
                // from readings): production.json's lifetime, a different and usually higher
                // figure, must not be published first and then hold the counter still.
                const model::Value& own = direction == kForward ? phase.energy_forward : phase.energy_reverse;
                if (own) {
                    counter.meter_missing_since.reset();
                } else if (!counter.meter_missing_since) {
                    counter.meter_missing_since = now;
                }
                counter.lifetime_allowed = !own && now - *counter.meter_missing_since >= settings_.grace;
                if (!missing[direction]) {
                    counter.missing_since.reset();
                    counter.pending = 0;
                    counter.integrating = false;
                    continue;
                }
                if (!counter.missing_since) counter.missing_since = now;
                counter.pending += direction == kForward ? increment.forward : increment.reverse;
                if (!counter.integrating && now - *counter.missing_since >= settings_.grace) {
                    counter.integrating = true;
                    LOG_INFO("energy: the gateway offers no " << key(meter, index, direction)
                                                               << " counter; integrating the power");
                }
                if (counter.integrating) {
                    integrated_[key(meter, index, direction)] += counter.pending;
                    counter.pending = 0;
                }
            }
        }
    }
}

void Counters::resolve(model::Snapshot& snapshot) {
    for (int meter = 0; meter < kMeters; ++meter) {
        model::MeterValues& values = meter_of(snapshot, meter);
        for (int index = 0; index < slot_count(values); ++index) {
            model::PhaseValues& phase = values_of(values, index);
            Slot& s = slot(meter, index);
            for (int direction = 0; direction < kDirections; ++direction) {
                Counter& counter = s.directions[static_cast<std::size_t>(direction)];
                std::optional<Reading> reading = gateway_counter(phase, meter, direction, snapshot.source);
                if (reading && reading->origin == Origin::Lifetime && snapshot.source == model::Source::Stream &&
                    !counter.lifetime_allowed) {
                    reading.reset();
                }
                if (!reading && counter.integrating) {
                    if (auto it = committed_.find(key(meter, index, direction)); it != committed_.end()) {
                        reading = Reading{it->second, Origin::Integrated};
                    }
                }
                model::Value& out = direction == kForward ? phase.energy_forward : phase.energy_reverse;
                if (!reading) {
                    out.reset();
                    continue;
                }
                const auto before = counter.guard.published();
                const Guard::Result result = counter.guard.update(reading->kwh, reading->origin);
                if (result.event != Guard::Event::None) log_event(counter, key(meter, index, direction), result, reading->origin);
                state_urgent_ = state_urgent_ || result.state_changed;
                state_dirty_ = state_dirty_ || result.state_changed || counter.guard.published() != before;
                out = result.value;
            }
        }
    }
}

void Counters::log_event(Counter& counter, const std::string& name, const Guard::Result& result, Origin origin) {
    // Resets and returns are rare and matter: always a warning. Glitches and holds: the first one.
    const bool rare = result.event == Guard::Event::WentBack || result.event == Guard::Event::Returned;
    const bool first = !counter.warned;
    counter.warned = true;
    const logging::Level level = rare || first ? logging::Level::Warning : logging::Level::Debug;
    switch (result.event) {
        case Guard::Event::None: break;
        case Guard::Event::Ignored:
            EE_LOG(level, "energy: " << name << ": " << describe(origin) << " read " << result.raw << " kWh, below "
                                     << result.previous << " kWh; ignored unless it stays near zero for "
                                     << Guard::kResetReadings << " readings (a reset)");
            break;
        case Guard::Event::WentBack:
            EE_LOG(level, "energy: " << name << ": " << describe(origin) << " stayed near zero (" << result.raw
                                     << " kWh): a reset; counting on from " << result.previous << " kWh");
            break;
        case Guard::Event::Returned:
            EE_LOG(level, "energy: " << name << ": " << describe(origin) << " is back at " << result.raw
                                     << " kWh: the drop was a glitch, not a reset; its offset is cancelled");
            break;
        case Guard::Event::Held:
            EE_LOG(level, "energy: " << name << ": " << describe(origin) << " is " << result.raw << " kWh, below the "
                                     << result.previous << " kWh already published; holding that until it passes");
            break;
    }
}

}  // namespace energy
