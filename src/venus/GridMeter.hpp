// venus/GridMeter: the gateway's net-consumption CTs as com.victronenergy.grid.enphase_envoy.
//
// Paths: the shared management/identity paths, /Role "grid", /Ac/Power (positive import,
// negative export), /Ac/Energy/Forward and /Ac/Energy/Reverse (the meter's own kWh counters),
// /Ac/NumberOfPhases and /Ac/L<n>/{Power,Current,Voltage,Frequency,PowerFactor,Energy/Forward,
// Energy/Reverse} for the phases that exist (paths of phases that disappear are removed).
// Settings: unique id "enphase_envoy_grid_<serial>", class "grid", default instance 31.
#pragma once

#include <string>

#include "model/Snapshot.hpp"
#include "venus/Bus.hpp"
#include "venus/DeviceCommon.hpp"
#include "venus/DeviceSettings.hpp"
#include "venus/Service.hpp"

namespace venus {

inline constexpr const char* kGridMeterServiceName = "com.victronenergy.grid.enphase_envoy";
inline constexpr int kGridDefaultInstance = 31;

DeviceSettingsConfig grid_meter_settings(const std::string& serial, int default_instance, std::string state_file);

class GridMeter {
public:
    // Opens its own connection, exports the paths and claims the name (throws NameTaken /
    // BusError). settings must be ready() and outlive the GridMeter.
    GridMeter(Bus& bus, DeviceIdentity identity, DeviceSettings& settings,
              std::string service_name = kGridMeterServiceName);

    // Publishes snapshot.grid: one ItemsChanged, /Connected 1 (set_disconnected() when the
    // snapshot has no grid values).
    void publish(const model::Snapshot& snapshot);
    // /Connected 0 and every measurement invalid.
    void set_disconnected();
    void set_connection(std::string connection);

    Service& service() { return service_; }

private:
    void set_phase_count(int count);

    Service service_;
    int phases_ = 0;
};

}  // namespace venus
