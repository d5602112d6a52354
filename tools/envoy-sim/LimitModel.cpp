// envoy-sim: where the applied production cap is at a given time (see LimitModel.hpp).
#include "LimitModel.hpp"

#include <algorithm>
#include <cmath>

namespace sim {

namespace {

// The cap the target asks for now; with no target, the natural production (the cap rises back to it).
double target_cap(const LimitTarget& target, double natural_w, double consumption_w) {
    switch (target.kind) {
        case LimitTarget::Kind::Production: return std::max(0.0, target.value_w);
        case LimitTarget::Kind::Export: return std::max(0.0, consumption_w + target.value_w);
        case LimitTarget::Kind::None: break;
    }
    return std::max(0.0, natural_w);
}

}  // namespace

LimitModel::LimitModel(LimitDynamics dynamics, LimitTarget initial) : dynamics_(dynamics), target_(initial) {}

void LimitModel::set_target(const LimitTarget& target, double request_slew_w_s, Clock::time_point now,
                            double natural_w, double consumption_w) {
    std::lock_guard lock(mutex_);
    const auto current = cap_locked(now, natural_w, consumption_w);
    from_w_ = std::min(current.value_or(natural_w), std::max(0.0, natural_w));
    since_ = now;
    target_ = target;
    rate_w_s_ = dynamics_.slew_w_s > 0 ? (request_slew_w_s > 0 ? request_slew_w_s : dynamics_.slew_w_s) : 0.0;
}

void LimitModel::set_forced_off(bool off) {
    std::lock_guard lock(mutex_);
    forced_off_ = off;
}

bool LimitModel::forced_off() const {
    std::lock_guard lock(mutex_);
    return forced_off_;
}

std::optional<double> LimitModel::cap(Clock::time_point t, double natural_w, double consumption_w) const {
    std::lock_guard lock(mutex_);
    if (forced_off_) return 0.0;
    return cap_locked(t, natural_w, consumption_w);
}

std::optional<double> LimitModel::cap_locked(Clock::time_point t, double natural_w, double consumption_w) const {
    const double goal = target_cap(target_, natural_w, consumption_w);
    const bool unlimited = target_.kind == LimitTarget::Kind::None;
    if (!from_w_) return unlimited ? std::nullopt : std::optional<double>(goal);
    const double elapsed = std::max(0.0, std::chrono::duration<double>(t - since_).count());
    const double gap = goal - *from_w_;
    double moved = 0;
    if (rate_w_s_ > 0) {
        moved = std::min(std::abs(gap), rate_w_s_ * elapsed);
    } else {
        moved = dynamics_.settle_s > 0 ? std::abs(gap) * std::min(1.0, elapsed / dynamics_.settle_s) : std::abs(gap);
    }
    const bool arrived = moved >= std::abs(gap);
    if (arrived && unlimited) return std::nullopt;
    return arrived ? goal : *from_w_ + std::copysign(moved, gap);
}

}  // namespace sim
