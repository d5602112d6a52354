// app: power limiting between Venus and the gateway ([PV] power_limiting = 1,
// docs/power-limiting.md). Owns the envoy::PowerLimiter, starts it again whenever the gateway
// was probed anew or the account behind the token changed (installer access may have come or
// gone), passes every write of the PV inverter's /Ac/PowerLimit to it, and shows its state on the
// PV inverter (which may be registered again under another serial: attach() each time).
#pragma once

#include <memory>
#include <optional>

#include "config/Config.hpp"
#include "envoy/Client.hpp"
#include "envoy/PowerLimiter.hpp"
#include "loop/EventLoop.hpp"
#include "model/Gateway.hpp"
#include "venus/PvInverter.hpp"

namespace app {

class LimitControl {
public:
    LimitControl(loop::EventLoop& loop, envoy::Client& client, const config::Config& config);

    // The client's status changed: (re)starts the limiter when the gateway was probed again or
    // the token's account changed.
    void on_status(const envoy::ClientStatus& status);
    // The PV inverter is on the bus: adds its power-limit items, wired to the limiter.
    void attach(venus::PvInverter& pv);
    // The PV inverter is gone (registered again under another serial).
    void detach() { pv_ = nullptr; }

private:
    void show(const envoy::PowerLimitStatus& status);

    envoy::Client& client_;
    envoy::PowerLimiter limiter_;
    venus::PvInverter* pv_ = nullptr;
    std::optional<unsigned> started_connection_;
    std::optional<model::TokenUser> started_user_;
};

// The limiter's settings from the configuration.
envoy::PowerLimiterSettings limiter_settings(const config::Config& config);

}  // namespace app
