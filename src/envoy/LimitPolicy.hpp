// envoy/LimitPolicy: when the driver writes a production limit to the gateway. Pure: the caller
// gives it the requests from Venus and the clock, and asks what to send.
//
// Venus's ESS (hub4control) writes /Ac/PowerLimit every few seconds while it limits feed-in,
// with small changes each time; a gateway takes 10 to 75 s to settle on a new limit and must not
// be flooded with writes. The rule:
//  - a request is clamped to 0..max_power_w; one within min_step_w of max_power_w means "no
//    limit" (full production);
//  - a request older than restore_after (no write from Venus for that long: a controller that
//    stopped or crashed) also means "no limit": the roof is never left throttled;
//  - a new limit is written only when it differs from the one written by at least min_step_w,
//    and never sooner than min_interval after the previous write (also for "no limit", so that a
//    controller hovering near full power cannot toggle the gateway);
//  - "no limit" is written (a Release) only when the gateway holds a limit the driver wrote: a
//    limit an installer set on the gateway is never touched;
//  - what was written is what the gateway applies until the caller says otherwise (forget()).
#pragma once

#include <chrono>
#include <optional>

namespace envoy {

struct LimitPolicySettings {
    double max_power_w = 0;                                // /Ac/MaxPower
    double min_step_w = 50;                                // smaller changes are not written
    std::chrono::steady_clock::duration min_interval = std::chrono::seconds(10);
    std::chrono::steady_clock::duration restore_after = std::chrono::seconds(60);
};

// The step the driver uses for a roof of max_power_w: 2 % of it, at least 50 W.
double default_min_step(double max_power_w);

class LimitPolicy {
public:
    using Clock = std::chrono::steady_clock;

    // What to send to the gateway.
    struct Action {
        enum class Kind { None, Limit, Release } kind = Kind::None;
        double watts = 0;  // Limit: the limit (whole watts)
        bool operator==(const Action&) const = default;
    };

    explicit LimitPolicy(LimitPolicySettings settings) : settings_(settings) {}

    // A limit asked for by Venus, in W; returns it clamped to 0..max_power_w.
    double request(double watts, Clock::time_point now);
    // The limit in force now by the rule above: nullopt for "no limit".
    std::optional<double> target(Clock::time_point now) const;
    // What should be sent now (None while nothing needs sending or the interval has not passed).
    Action next(Clock::time_point now) const;
    // The gateway took action (a Limit or a Release) at now.
    void written(const Action& action, Clock::time_point now);
    // The gateway's limit may differ from the one written (it restarted, or another client
    // changed it): the next limit is written even when it equals the last one.
    void forget();
    // After a restart of the driver: the gateway may still hold this limit written before it
    // (persisted by the caller), so it is released when no limit is wanted.
    void adopt(double limit);
    // When next() may answer differently without a new request: the end of the write interval
    // or the restore deadline; nullopt when nothing is pending.
    std::optional<Clock::time_point> wake_at(Clock::time_point now) const;

    // The limit last written (nullopt: none, or released).
    std::optional<double> written_limit() const { return written_; }
    const LimitPolicySettings& settings() const { return settings_; }

private:
    // The action target() calls for, ignoring the write interval.
    Action wanted(Clock::time_point now) const;

    LimitPolicySettings settings_;
    std::optional<double> requested_;
    Clock::time_point requested_at_{};
    std::optional<double> written_;   // the limit the gateway holds because of us; none: it holds none of ours
    bool confirmed_ = true;           // written_ is known to be what the gateway holds
    std::optional<Clock::time_point> written_at_;
};

}  // namespace envoy
