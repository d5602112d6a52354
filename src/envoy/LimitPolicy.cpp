// envoy/LimitPolicy: the decision of when to write a production limit (rules in the header).
#include "envoy/LimitPolicy.hpp"

#include <algorithm>
#include <cmath>

namespace envoy {

double default_min_step(double max_power_w) { return std::max(50.0, std::round(max_power_w * 0.02)); }

double LimitPolicy::request(double watts, Clock::time_point now) {
    const double clamped = std::isfinite(watts) ? std::clamp(watts, 0.0, settings_.max_power_w) : settings_.max_power_w;
    requested_ = clamped;
    requested_at_ = now;
    return clamped;
}

std::optional<double> LimitPolicy::target(Clock::time_point now) const {
    if (!requested_ || now - requested_at_ >= settings_.restore_after) return std::nullopt;
    if (*requested_ > settings_.max_power_w - settings_.min_step_w) return std::nullopt;
    return std::round(*requested_);
}

LimitPolicy::Action LimitPolicy::wanted(Clock::time_point now) const {
    const auto limit = target(now);
    if (!limit) return written_ ? Action{Action::Kind::Release, 0} : Action{};
    if (confirmed_ && written_ && std::fabs(*limit - *written_) < settings_.min_step_w) return {};
    return {Action::Kind::Limit, *limit};
}

LimitPolicy::Action LimitPolicy::next(Clock::time_point now) const {
    Action action = wanted(now);
    if (action.kind == Action::Kind::None) return action;
    if (written_at_ && now - *written_at_ < settings_.min_interval) return {};
    return action;
}

void LimitPolicy::written(const Action& action, Clock::time_point now) {
    if (action.kind == Action::Kind::None) return;
    written_ = action.kind == Action::Kind::Limit ? std::optional<double>(action.watts) : std::nullopt;
    confirmed_ = true;
    written_at_ = now;
}

void LimitPolicy::forget() { confirmed_ = false; }

void LimitPolicy::adopt(double limit) {
    written_ = limit;
    confirmed_ = false;
}

std::optional<LimitPolicy::Clock::time_point> LimitPolicy::wake_at(Clock::time_point now) const {
    std::optional<Clock::time_point> wake;
    auto earliest = [&wake](Clock::time_point at) {
        if (!wake || at < *wake) wake = at;
    };
    if (wanted(now).kind != Action::Kind::None && written_at_) earliest(std::max(now, *written_at_ + settings_.min_interval));
    if (target(now)) earliest(requested_at_ + settings_.restore_after);
    return wake;
}

}  // namespace envoy
