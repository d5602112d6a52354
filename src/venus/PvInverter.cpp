// venus/PvInverter: maps model::Snapshot production onto the Venus PV inverter items.
#include "venus/PvInverter.hpp"

#include <algorithm>
#include <limits>

namespace venus {

namespace {

using busitem::Value;

constexpr std::int32_t kStatusRunning = 7;
constexpr std::int32_t kStatusStandby = 8;
constexpr std::int32_t kStatusError = 10;

const char* status_name(int code) {
    switch (code) {
        case kStatusRunning: return "Running";
        case kStatusStandby: return "Standby";
        case kStatusError: return "Error";
        default: return nullptr;
    }
}

constexpr unsigned kPvTotals = kAcPower | kAcCurrent | kAcVoltage | kAcEnergyForward;
constexpr unsigned kPvPhase = kAcPower | kAcCurrent | kAcVoltage | kAcFrequency | kAcEnergyForward;

}  // namespace

busitem::DeviceSettingsConfig pv_inverter_settings(const std::string& serial, int default_instance,
                                                   std::string state_file) {
    busitem::DeviceSettingsConfig config;
    config.unique_id = "enphase_envoy_" + serial;
    config.device_class = "pvinverter";
    config.default_instance = default_instance;
    config.with_position = true;
    config.state_file = std::move(state_file);
    return config;
}

PvInverter::PvInverter(busitem::Bus& bus, PvIdentity identity, busitem::DeviceSettings& settings,
                       std::string service_name)
    : service_(bus.loop(), std::move(service_name)),
      device_(service_, identity, "Enphase Envoy", settings),
      ac_(service_, kPvTotals, kPvPhase) {
    status_code_ = service_.add("/StatusCode", Value(), busitem::format::names(status_name));
    max_power_ = identity.max_power;
    service_.add("/Ac/MaxPower", identity.max_power > 0 ? Value(identity.max_power) : Value(), busitem::format::watts());
    microinverters_configured_ = service_.add("/Enphase/MicroInvertersConfig", Value());
    microinverters_reporting_ = service_.add("/Enphase/MicroInvertersReporting", Value());
    microinverters_producing_ = service_.add("/Enphase/MicroInvertersProducing", Value());
    device_name_ = service_.add("/DeviceName", Value());
    token_expiry_ = service_.add("/Enphase/TokenExpiry", Value());
    token_type_ = service_.add("/Enphase/TokenType", Value());
    service_.claim();
}

void PvInverter::publish(const model::Snapshot& snapshot) {
    const model::MeterValues& pv = snapshot.pv;
    // The energy counter is the one energy::Counters decided (monotonic, from the best origin).
    ac_.show(pv);
    const bool running = pv.total.power && *pv.total.power >= kRunningThresholdW;
    status_code_.set(Value(running ? kStatusRunning : kStatusStandby));
    device_.set_connected(true);
    device_.bump_update_index();
    service_.flush_batch();
}

void PvInverter::set_disconnected() {
    ac_.invalidate();
    status_code_.set(Value(kStatusError));
    device_.set_connected(false);
    service_.flush();
}

void PvInverter::set_connection(std::string connection) { device_.show_connection(std::move(connection)); }

void PvInverter::set_microinverters(int configured, int reporting, int producing) {
    microinverters_configured_.set(Value(std::int32_t{configured}));
    microinverters_reporting_.set(Value(std::int32_t{reporting}));
    microinverters_producing_.set(Value(std::int32_t{producing}));
    std::string name = std::to_string(producing) + " of " + std::to_string(configured) + " \u26A1";
    if (int unavailable = configured - reporting; unavailable > 0) name += " (" + std::to_string(unavailable) + " u/a)";
    device_name_.set(Value(name));
    service_.flush();
}

void PvInverter::enable_power_limit(std::function<void(double)> on_request) {
    busitem::ItemOptions limit;
    limit.text = busitem::format::watts();
    limit.writable = true;
    limit.type = 'd';
    limit.description = "Production limit in W (ESS); shows the limit the gateway applies";
    limit.validate = [this](const Value&) { return busitem::is_valid(power_limit_shown_); };
    limit.on_write = [this, on_request = std::move(on_request)](const Value& value) {
        power_limit_.set(power_limit_shown_);
        on_request(std::get<double>(value));
    };
    power_limit_ = service_.add("/Ac/PowerLimit", Value(), std::move(limit));
    power_limit_state_ = service_.add("/Enphase/PowerLimit/State", Value(std::int32_t{0}), busitem::format::names([](int code) {
                                          return model::limit_state_name(static_cast<model::LimitState>(code));
                                      }));
    power_limit_reason_ = service_.add("/Enphase/PowerLimit/Reason", Value(std::string()));
    service_.flush();
}

void PvInverter::show_power_limit(model::LimitState state, std::optional<double> applied, const std::string& reason) {
    if (!power_limit_) return;
    // Not usable: invalid. Usable: the gateway's limit, or at rest the rated power.
    double shown = 0;
    if (state != model::LimitState::NotSupported) shown = applied.value_or(max_power_);
    power_limit_shown_ = shown > 0 || applied ? Value(shown) : Value();
    power_limit_.set(power_limit_shown_);
    power_limit_state_.set(Value(static_cast<std::int32_t>(state)));
    power_limit_reason_.set(Value(reason));
    service_.flush();
}

void PvInverter::set_token(std::int64_t expiry, model::TokenUser user) {
    Value type;
    if (user == model::TokenUser::Owner) type = std::string("owner");
    if (user == model::TokenUser::Installer) type = std::string("installer");
    Value expires;
    if (busitem::is_valid(type) && expiry > 0) {
        expires = static_cast<std::int32_t>(std::min<std::int64_t>(expiry, std::numeric_limits<std::int32_t>::max()));
    }
    token_expiry_.set(expires);
    token_type_.set(type);
    service_.flush();
}

}  // namespace venus
