// venus/Battery: the site's Enphase storage (IQ Batteries, AC Batteries, the storage CT) as one
// battery, com.victronenergy.battery.enphase_envoy.
//
// Paths: the shared management/identity paths; /Soc, /Soh (%); /Dc/0/Power (W, positive =
// charging, as Venus counts); /Dc/0/Temperature (°C, the warmest battery);
// /History/ChargedEnergy and /History/DischargedEnergy (kWh, the storage CT's counters);
// /System/NrOfBatteries, /System/NrOfModulesOnline, /System/NrOfModulesOffline;
// /System/MaxCellTemperature (°C, the warmest cell any battery reports); the Enphase extras
// /Enphase/Capacity and /Enphase/AvailableEnergy (Wh) and /Enphase/BackupReserve (%).
// Always invalid: /Dc/0/Voltage, /Dc/0/Current, /ConsumedAmphours and /TimeToGo. Enphase
// batteries are AC-coupled: they have no DC bus Venus could see, and amp-hours or a time to go
// made up from watt-hours would be numbers no instrument measured. Not exported at all:
// /Capacity and /InstalledCapacity (Ah), /State (the codes of Victron's BMSes) and every
// /Info/* path: /Info/MaxChargeVoltage is what makes Venus take a battery for a BMS, and the
// charge and discharge limits are what DVCC acts on; the Enphase batteries are not Venus's to
// control. Settings: unique id "enphase_envoy_battery_<serial>", class "battery", default
// instance 512. Every item is declared once, in the constructor; a sample only sets the handles.
#pragma once

#include <string>

#include "busitem/Bus.hpp"
#include "busitem/DeviceSettings.hpp"
#include "busitem/Item.hpp"
#include "busitem/Service.hpp"
#include "model/Battery.hpp"
#include "venus/DeviceCommon.hpp"

namespace venus {

inline constexpr const char* kBatteryServiceName = "com.victronenergy.battery.enphase_envoy";
inline constexpr int kBatteryDefaultInstance = 512;

busitem::DeviceSettingsConfig battery_settings(const std::string& serial, int default_instance, std::string state_file);

class Battery {
public:
    // Opens its own connection, exports the paths and claims the name (throws NameTaken /
    // BusError). settings must be ready() and outlive the Battery.
    Battery(busitem::Bus& bus, DeviceIdentity identity, busitem::DeviceSettings& settings,
            std::string service_name = kBatteryServiceName);

    // Publishes the storage: one ItemsChanged, /Connected 1. Only sets handles: cheap enough
    // to call for every storage CT sample.
    void publish(const model::BatteryTotal& total);
    // /Connected 0 and every measurement invalid.
    void set_disconnected();
    void set_connection(std::string connection);
    // Shows the instance and custom name after they changed in the settings service.
    void show_settings() { device_.show_settings(); }

private:
    void set_measurements(const model::BatteryTotal* total);

    busitem::Service service_;
    DeviceItems device_;
    busitem::Item soc_;
    busitem::Item soh_;
    busitem::Item power_;
    busitem::Item temperature_;
    busitem::Item charged_;
    busitem::Item discharged_;
    busitem::Item batteries_;
    busitem::Item modules_online_;
    busitem::Item modules_offline_;
    busitem::Item max_cell_temperature_;
    busitem::Item capacity_;
    busitem::Item available_energy_;
    busitem::Item backup_reserve_;
};

}  // namespace venus
