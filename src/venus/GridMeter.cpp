// venus/GridMeter: maps model::Snapshot grid values onto the Venus grid meter items.
#include "venus/GridMeter.hpp"

namespace venus {

namespace {

constexpr unsigned kGridTotals = kAcPower | kAcEnergyForward | kAcEnergyReverse;
constexpr unsigned kGridPhase = kAcPower | kAcCurrent | kAcVoltage | kAcFrequency | kAcPowerFactor |
                                kAcEnergyForward | kAcEnergyReverse;

}  // namespace

busitem::DeviceSettingsConfig grid_meter_settings(const std::string& serial, int default_instance,
                                                  std::string state_file) {
    busitem::DeviceSettingsConfig config;
    config.unique_id = "enphase_envoy_grid_" + serial;
    config.device_class = "grid";
    config.default_instance = default_instance;
    config.with_position = false;
    config.state_file = std::move(state_file);
    return config;
}

GridMeter::GridMeter(busitem::Bus& bus, DeviceIdentity identity, busitem::DeviceSettings& settings,
                     std::string service_name)
    : service_(bus.loop(), std::move(service_name)),
      device_(service_, identity, "Enphase Envoy grid meter", settings),
      ac_(service_, kGridTotals, kGridPhase) {
    service_.add("/Role", busitem::Value(std::string("grid")));
    service_.claim();
}

void GridMeter::publish(const model::Snapshot& snapshot) {
    if (!snapshot.grid.present) {
        set_disconnected();
        return;
    }
    ac_.show(snapshot.grid);
    device_.set_connected(true);
    device_.bump_update_index();
    service_.flush_batch();
}

void GridMeter::set_disconnected() {
    ac_.invalidate();
    device_.set_connected(false);
    service_.flush();
}

void GridMeter::set_connection(std::string connection) { device_.show_connection(std::move(connection)); }

}  // namespace venus
