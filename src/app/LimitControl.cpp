// app: LimitControl, the wiring of power limiting.
#include "app/LimitControl.hpp"

namespace app {

envoy::PowerLimiterSettings limiter_settings(const config::Config& config) {
    envoy::PowerLimiterSettings out;
    out.policy.max_power_w = config.pv.max;
    out.policy.min_step_w = envoy::default_min_step(config.pv.max);
    out.policy.min_interval = std::chrono::seconds(config.pv.power_limit_interval);
    out.policy.restore_after = std::chrono::seconds(config.pv.power_limit_restore);
    out.export_mode = config.pv.power_limit_mode == "export";
    out.state_file = config.energy.state_dir + "/power-limit.json";
    return out;
}

LimitControl::LimitControl(loop::EventLoop& loop, envoy::Client& client, const config::Config& config)
    : client_(client),
      limiter_(loop, client, limiter_settings(config), [this](const envoy::PowerLimitStatus& status) { show(status); }) {}

void LimitControl::on_status(const envoy::ClientStatus& status) {
    if (!client_.ready()) return;
    const model::TokenUser user = status.token ? status.token->user : model::TokenUser::Unknown;
    if (started_connection_ == client_.connections() && started_user_ == user) return;
    started_connection_ = client_.connections();
    started_user_ = user;
    limiter_.start();
}

void LimitControl::attach(venus::PvInverter& pv) {
    pv_ = &pv;
    pv.enable_power_limit([this](double watts) { limiter_.request(watts); });
    show(limiter_.status());
}

void LimitControl::show(const envoy::PowerLimitStatus& status) {
    if (pv_ != nullptr) pv_->show_power_limit(status.state, status.applied_w, status.reason);
}

}  // namespace app
