// energy/Integrator: trapezoid integration with the split at the zero crossing.
#include "energy/Integrator.hpp"

#include <cmath>

namespace energy {
namespace {

// Adds the area (Wh) of a triangle or trapezoid lying wholly on one side of zero.
void add(Increment& increment, double average_w, double hours) {
    const double kwh = average_w * hours / 1000.0;
    if (kwh >= 0) {
        increment.forward += kwh;
    } else {
        increment.reverse -= kwh;
    }
}

}  // namespace

Increment Integrator::step(Clock::time_point now, model::Value power) {
    Increment increment;
    if (!power || !std::isfinite(*power)) {
        last_.reset();
        return increment;
    }
    const double p2 = *power;
    if (last_ && now > last_->at && now - last_->at <= max_gap_) {
        const double p1 = last_->power;
        const double hours = std::chrono::duration<double>(now - last_->at).count() / 3600.0;
        if ((p1 >= 0) == (p2 >= 0) || p1 == 0 || p2 == 0) {
            add(increment, (p1 + p2) / 2.0, hours);
        } else {
            const double to_zero = hours * std::fabs(p1) / (std::fabs(p1) + std::fabs(p2));
            add(increment, p1 / 2.0, to_zero);
            add(increment, p2 / 2.0, hours - to_zero);
        }
    }
    last_ = Sample{now, p2};
    return increment;
}

}  // namespace energy
