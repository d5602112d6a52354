// venus/PvInverter: maps model::Snapshot production onto the Venus PV inverter paths.
#include "venus/PvInverter.hpp"

#include <algorithm>
#include <limits>

namespace venus {

namespace {

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

const char* position_name(int code) {
    switch (code) {
        case 0: return "AC input 1";
        case 1: return "AC output";
        case 2: return "AC input 2";
        default: return nullptr;
    }
}

const std::vector<PhaseLeaf>& pv_phase_leaves() {
    static const std::vector<PhaseLeaf> leaves = {
        {"Power", format::watts()},   {"Current", format::amps()},         {"Voltage", format::volts()},
        {"Frequency", format::hertz()}, {"Energy/Forward", format::kwh()},
    };
    return leaves;
}

const char* const kTotals[] = {"/Ac/Power", "/Ac/Current", "/Ac/Voltage", "/Ac/Energy/Forward"};

}  // namespace

DeviceSettingsConfig pv_inverter_settings(const std::string& serial, int default_instance, std::string state_file) {
    DeviceSettingsConfig config;
    config.unique_id = "enphase_envoy_" + serial;
    config.device_class = "pvinverter";
    config.default_instance = default_instance;
    config.with_position = true;
    config.state_file = std::move(state_file);
    return config;
}

PvInverter::PvInverter(Bus& bus, PvIdentity identity, DeviceSettings& settings, std::string service_name)
    : service_(bus.loop(), std::move(service_name)), settings_(settings) {
    add_device_paths(service_, identity, "Enphase Envoy", settings);
    service_.add("/StatusCode", Value(), format::names(status_name));

    ItemOptions position;
    position.text = format::names(position_name);
    position.writable = true;
    position.type = 'i';
    position.validate = [](const Value& value) {
        auto code = std::get<std::int32_t>(value);
        return code >= 0 && code <= 2;
    };
    position.on_change = [this](const Value& value) { settings_.set_position(std::get<std::int32_t>(value)); };
    service_.add("/Position", Value(std::int32_t{settings.position()}), std::move(position));

    service_.add("/Ac/Power", Value(), format::watts());
    service_.add("/Ac/Current", Value(), format::amps());
    service_.add("/Ac/Voltage", Value(), format::volts());
    service_.add("/Ac/Energy/Forward", Value(), format::kwh());
    service_.add("/Ac/MaxPower", identity.max_power > 0 ? Value(identity.max_power) : Value(), format::watts());
    service_.add("/Ac/NumberOfPhases", Value());
    service_.add("/Enphase/MicroInvertersConfig", Value());
    service_.add("/Enphase/MicroInvertersReporting", Value());
    service_.add("/Enphase/MicroInvertersProducing", Value());
    service_.add("/DeviceName", Value());
    service_.add("/Enphase/TokenExpiry", Value());
    service_.add("/Enphase/TokenType", Value());
    service_.claim();
}

void PvInverter::set_phase_count(int count) {
    if (count == phases_) return;
    resize_phases(service_, phases_, count, pv_phase_leaves());
    phases_ = count;
}

void PvInverter::publish(const model::Snapshot& snapshot) {
    const model::MeterValues& pv = snapshot.pv;
    set_phase_count(pv.present ? std::clamp(pv.phase_count, 0, model::kMaxPhases) : 0);

    service_.set("/Ac/Power", measurement(pv.total.power));
    service_.set("/Ac/Current", measurement(pv.total.current));
    service_.set("/Ac/Voltage", measurement(pv.total.voltage));
    // The counter energy::Counters decided (monotonic, from the best origin); nothing else stands in.
    service_.set("/Ac/Energy/Forward", measurement(pv.total.energy_forward));
    service_.set("/Ac/NumberOfPhases", phases_ > 0 ? Value(std::int32_t{phases_}) : Value());
    for (int phase = 0; phase < phases_; ++phase) {
        const model::PhaseValues& values = pv.phases[static_cast<std::size_t>(phase)];
        service_.set(phase_path(phase, "Power"), measurement(values.power));
        service_.set(phase_path(phase, "Current"), measurement(values.current));
        service_.set(phase_path(phase, "Voltage"), measurement(values.voltage));
        service_.set(phase_path(phase, "Frequency"), measurement(values.frequency));
        service_.set(phase_path(phase, "Energy/Forward"), measurement(values.energy_forward));
    }
    const bool running = pv.total.power && *pv.total.power >= kRunningThresholdW;
    service_.set("/StatusCode", Value(running ? kStatusRunning : kStatusStandby));
    service_.set("/Connected", Value(std::int32_t{1}));
    bump_update_index(service_);
    service_.flush();
}

void PvInverter::set_disconnected() {
    for (const char* path : kTotals) service_.set(path, Value());
    for (int phase = 0; phase < phases_; ++phase) {
        for (const auto& leaf : pv_phase_leaves()) service_.set(phase_path(phase, leaf.name), Value());
    }
    service_.set("/StatusCode", Value(kStatusError));
    service_.set("/Connected", Value(std::int32_t{0}));
    service_.flush();
}

void PvInverter::set_connection(std::string connection) {
    service_.set("/Mgmt/Connection", Value(std::move(connection)));
    service_.flush();
}

void PvInverter::set_microinverters(int configured, int reporting, int producing) {
    service_.set("/Enphase/MicroInvertersConfig", Value(std::int32_t{configured}));
    service_.set("/Enphase/MicroInvertersReporting", Value(std::int32_t{reporting}));
    service_.set("/Enphase/MicroInvertersProducing", Value(std::int32_t{producing}));
    std::string name = std::to_string(producing) + " of " + std::to_string(configured) + " \u26A1";
    if (int unavailable = configured - reporting; unavailable > 0) name += " (" + std::to_string(unavailable) + " u/a)";
    service_.set("/DeviceName", Value(name));
    service_.flush();
}

void PvInverter::set_token(std::int64_t expiry, model::TokenUser user) {
    Value type;
    if (user == model::TokenUser::Owner) type = std::string("owner");
    if (user == model::TokenUser::Installer) type = std::string("installer");
    Value expires;
    if (is_valid(type) && expiry > 0) {
        expires = static_cast<std::int32_t>(std::min<std::int64_t>(expiry, std::numeric_limits<std::int32_t>::max()));
    }
    service_.set("/Enphase/TokenExpiry", expires);
    service_.set("/Enphase/TokenType", type);
    service_.flush();
}

}  // namespace venus
