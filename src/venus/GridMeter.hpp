// venus/GridMeter: the gateway's net-consumption CTs as com.victronenergy.grid.enphase_envoy.
//
// Paths: the shared management/identity paths, /Role "grid", /Ac/Power (positive import,
// negative export), /Ac/Energy/Forward and /Ac/Energy/Reverse (the meter's own kWh counters),
// /Ac/NumberOfPhases and /Ac/L<n>/{Power,Current,Voltage,Frequency,PowerFactor,Energy/Forward,
// Energy/Reverse} for the phases that exist (paths of phases that disappear are removed).
// Settings: unique id "enphase_envoy_grid_<serial>", class "grid", default instance 31. Every
// item is declared once, in the constructor; a sample only sets the handles.
#pragma once

#include <string>

#include "busitem/Bus.hpp"
#include "busitem/DeviceSettings.hpp"
#include "busitem/Service.hpp"
#include "model/Snapshot.hpp"
#include "venus/AcItems.hpp"
#include "venus/DeviceCommon.hpp"

namespace venus {

inline constexpr const char* kGridMeterServiceName = "com.victronenergy.grid.enphase_envoy";
inline constexpr int kGridDefaultInstance = 31;

busitem::DeviceSettingsConfig grid_meter_settings(const std::string& serial, int default_instance, std::string state_file);

class GridMeter {
public:
    // Opens its own connection, exports the paths and claims the name (throws NameTaken /
    // BusError). settings must be ready() and outlive the GridMeter.
    GridMeter(busitem::Bus& bus, DeviceIdentity identity, busitem::DeviceSettings& settings,
              std::string service_name = kGridMeterServiceName);

    // Publishes snapshot.grid: one ItemsChanged, /Connected 1 (set_disconnected() when the
    // snapshot has no grid values).
    void publish(const model::Snapshot& snapshot);
    // /Connected 0 and every measurement invalid.
    void set_disconnected();
    void set_connection(std::string connection);
    // Shows the instance and custom name after they changed in the settings service.
    void show_settings() { device_.show_settings(); }

private:
    busitem::Service service_;
    DeviceItems device_;
    AcItems ac_;
};

}  // namespace venus
