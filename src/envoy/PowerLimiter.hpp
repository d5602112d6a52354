// envoy/PowerLimiter: limits the site's production through the gateway's dynamic power export
// limit (DPEL, /ivp/ss/dpel, firmware 8) for Venus's ESS.
//
// Usable only with installer access (an installer token, or the installer Digest login) and a
// gateway that answers GET /ivp/ss/dpel; otherwise the state is NotSupported and the reason is
// logged once. A DPEL limit the gateway already holds when the driver starts, and that the driver
// did not write, belongs to the installer: the driver then leaves limiting alone (NotSupported,
// with that reason). When to write is LimitPolicy's decision; each write is a POST of the whole
// setting (the limit in W, production or export mode, the slew rate), read back verify_after
// later: the gateway confirming the limit makes the state Active and its figure the applied
// limit; another figure, or a refused write, makes it Refused (retried at the next interval).
// While a limit is held it is read back every recheck interval, so a gateway that restarted or
// a limit changed elsewhere is noticed. The limit the driver holds on the gateway is kept in
// state_file, so that after a restart of the driver it is released when Venus no longer asks.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>

#include "envoy/Client.hpp"
#include "envoy/LimitPolicy.hpp"
#include "loop/EventLoop.hpp"
#include "model/PowerLimit.hpp"

namespace envoy {

struct PowerLimiterSettings {
    LimitPolicySettings policy;
    bool export_mode = false;                                   // hold export (net CT) instead of production
    double slew_rate_w_per_s = 0;                               // 0: the gateway's own default
    std::chrono::milliseconds verify_after{std::chrono::seconds(5)};
    std::chrono::milliseconds recheck_interval{std::chrono::seconds(60)};
    std::string state_file;                                     // the limit the driver holds; empty: none kept
};

// What Venus is shown.
struct PowerLimitStatus {
    model::LimitState state = model::LimitState::NotSupported;
    std::optional<double> applied_w;   // the limit the gateway reports applying (nullopt: none / unknown)
    std::string reason;                // why NotSupported or Refused, for the log and /Enphase/PowerLimit/Reason
    bool usable() const { return state != model::LimitState::NotSupported; }
    bool operator==(const PowerLimitStatus&) const = default;
};

class PowerLimiter {
public:
    PowerLimiter(loop::EventLoop& loop, Client& client, PowerLimiterSettings settings,
                 std::function<void(const PowerLimitStatus&)> on_status);

    // Probes the gateway (call when the client is ready and again after it probed the gateway anew).
    void start();
    // A limit asked for by Venus, in W (clamped to 0..max power).
    void request(double watts);
    const PowerLimitStatus& status() const { return status_; }

private:
    void probe();
    void on_probe(HttpResponse&& response);
    void evaluate();
    void write(const LimitPolicy::Action& action);
    void on_written(const LimitPolicy::Action& action, HttpResponse&& response);
    void verify();
    void on_verify(HttpResponse&& response);
    void schedule();
    void set_status(model::LimitState state, std::optional<double> applied, std::string reason = {});
    void keep_written();
    bool installer_access() const;

    loop::EventLoop& loop_;
    Client& client_;
    PowerLimiterSettings settings_;
    std::function<void(const PowerLimitStatus&)> on_status_;
    LimitPolicy policy_;
    PowerLimitStatus status_;
    loop::Timer wake_timer_;
    loop::Timer verify_timer_;
    bool probed_ = false;     // the gateway answered the probe with a DPEL it lets the driver use
    bool busy_ = false;       // a write or read is in flight
    std::string said_;        // the last NotSupported reason logged
};

}  // namespace envoy
