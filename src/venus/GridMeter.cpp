// venus/GridMeter: maps model::Snapshot grid values onto the Venus grid meter paths.
#include "venus/GridMeter.hpp"

#include <algorithm>

namespace venus {

namespace {

const std::vector<PhaseLeaf>& grid_phase_leaves() {
    static const std::vector<PhaseLeaf> leaves = {
        {"Power", format::watts()},          {"Current", format::amps()},       {"Voltage", format::volts()},
        {"Frequency", format::hertz()},      {"PowerFactor", format::power_factor()},
        {"Energy/Forward", format::kwh()},   {"Energy/Reverse", format::kwh()},
    };
    return leaves;
}

const char* const kTotals[] = {"/Ac/Power", "/Ac/Energy/Forward", "/Ac/Energy/Reverse"};

}  // namespace

DeviceSettingsConfig grid_meter_settings(const std::string& serial, int default_instance, std::string state_file) {
    DeviceSettingsConfig config;
    config.unique_id = "enphase_envoy_grid_" + serial;
    config.device_class = "grid";
    config.default_instance = default_instance;
    config.with_position = false;
    config.state_file = std::move(state_file);
    return config;
}

GridMeter::GridMeter(Bus& bus, DeviceIdentity identity, DeviceSettings& settings, std::string service_name)
    : service_(bus.loop(), std::move(service_name)) {
    add_device_paths(service_, identity, "Enphase Envoy grid meter", settings);
    service_.add("/Role", Value(std::string("grid")));
    service_.add("/Ac/Power", Value(), format::watts());
    service_.add("/Ac/Energy/Forward", Value(), format::kwh());
    service_.add("/Ac/Energy/Reverse", Value(), format::kwh());
    service_.add("/Ac/NumberOfPhases", Value());
    service_.claim();
}

void GridMeter::set_phase_count(int count) {
    if (count == phases_) return;
    resize_phases(service_, phases_, count, grid_phase_leaves());
    phases_ = count;
}

void GridMeter::publish(const model::Snapshot& snapshot) {
    const model::MeterValues& grid = snapshot.grid;
    if (!grid.present) {
        set_disconnected();
        return;
    }
    set_phase_count(std::clamp(grid.phase_count, 0, model::kMaxPhases));
    service_.set("/Ac/Power", measurement(grid.total.power));
    service_.set("/Ac/Energy/Forward", measurement(grid.total.energy_forward));
    service_.set("/Ac/Energy/Reverse", measurement(grid.total.energy_reverse));
    service_.set("/Ac/NumberOfPhases", phases_ > 0 ? Value(std::int32_t{phases_}) : Value());
    for (int phase = 0; phase < phases_; ++phase) {
        const model::PhaseValues& values = grid.phases[static_cast<std::size_t>(phase)];
        service_.set(phase_path(phase, "Power"), measurement(values.power));
        service_.set(phase_path(phase, "Current"), measurement(values.current));
        service_.set(phase_path(phase, "Voltage"), measurement(values.voltage));
        service_.set(phase_path(phase, "Frequency"), measurement(values.frequency));
        service_.set(phase_path(phase, "PowerFactor"), measurement(values.power_factor));
        service_.set(phase_path(phase, "Energy/Forward"), measurement(values.energy_forward));
        service_.set(phase_path(phase, "Energy/Reverse"), measurement(values.energy_reverse));
    }
    service_.set("/Connected", Value(std::int32_t{1}));
    bump_update_index(service_);
    service_.flush();
}

void GridMeter::set_disconnected() {
    for (const char* path : kTotals) service_.set(path, Value());
    for (int phase = 0; phase < phases_; ++phase) {
        for (const auto& leaf : grid_phase_leaves()) service_.set(phase_path(phase, leaf.name), Value());
    }
    service_.set("/Connected", Value(std::int32_t{0}));
    service_.flush();
}

void GridMeter::set_connection(std::string connection) {
    service_.set("/Mgmt/Connection", Value(std::move(connection)));
    service_.flush();
}

}  // namespace venus
