// energy/Integrator: energy from power samples, for counters the gateway does not provide.
//
// Trapezoid rule between consecutive samples; where the power changes sign between two
// samples the trapezoid is split at the zero crossing, so import (positive power) and export
// (negative power) are counted separately. A gap longer than max_gap, an unknown power or a
// clock going backwards restarts the integration instead of inventing energy. Pure: the
// caller passes the time.
#pragma once

#include <chrono>
#include <optional>

#include "model/Snapshot.hpp"

namespace energy {

using Clock = std::chrono::steady_clock;

struct Increment {
    double forward = 0;  // kWh with positive power (import, production)
    double reverse = 0;  // kWh with negative power (export)
};

class Integrator {
public:
    explicit Integrator(Clock::duration max_gap = std::chrono::seconds(30)) : max_gap_(max_gap) {}

    // Adds a sample (W at now) and returns the energy since the previous one.
    Increment step(Clock::time_point now, model::Value power);
    void reset() { last_.reset(); }

private:
    struct Sample {
        Clock::time_point at;
        double power;
    };
    Clock::duration max_gap_;
    std::optional<Sample> last_;
};

}  // namespace energy
