// envoy-sim: the production limit the simulated gateway applies: the target it was given (a
// production cap, an export cap at the net CT, or none), how the applied cap moves towards it
// (linearly over the settle time, or at a slew rate in W/s) and the forced-off switch.
// Thread-safe; the meter model and the production endpoints ask it for the cap in force.
#pragma once

#include <chrono>
#include <mutex>
#include <optional>

namespace sim {

struct LimitTarget {
    enum class Kind { None, Production, Export };
    Kind kind = Kind::None;
    double value_w = 0;  // Production: the most produced; Export: the most exported
};

struct LimitDynamics {
    double settle_s = 15;  // linear move from the old cap to the new one over this time
    double slew_w_s = 0;   // > 0: move at this rate instead (a request's own slew rate wins)
};

class LimitModel {
public:
    using Clock = std::chrono::steady_clock;

    // Starts at initial, already applied (a limit the gateway had before the simulator started).
    LimitModel(LimitDynamics dynamics, LimitTarget initial);

    // From now on, moves towards target, starting from the cap in force at now (the natural
    // production when nothing limited it). request_slew_w_s > 0 is the request's own slew rate.
    void set_target(const LimitTarget& target, double request_slew_w_s, Clock::time_point now, double natural_w,
                    double consumption_w);
    // Forced off: production is 0 at once, whatever the target; released: the target's cap again.
    void set_forced_off(bool off);
    bool forced_off() const;

    // The cap on total production at time t for this natural production and consumption, nullopt
    // when nothing limits production (no target and back at natural production, not forced off).
    std::optional<double> cap(Clock::time_point t, double natural_w, double consumption_w) const;

private:
    std::optional<double> cap_locked(Clock::time_point t, double natural_w, double consumption_w) const;

    mutable std::mutex mutex_;
    LimitDynamics dynamics_;
    LimitTarget target_;
    std::optional<double> from_w_;  // the cap when the move began; nullopt: at the target
    Clock::time_point since_;
    double rate_w_s_ = 0;           // > 0: slew; 0: linear over dynamics_.settle_s
    bool forced_off_ = false;
};

}  // namespace sim
