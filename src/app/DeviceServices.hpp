// app: the gateway's devices on D-Bus for one serial: the PV inverter and, once asked for, the
// grid meter and the battery, each with its settings (busitem::DeviceSettings, whose unique id
// holds the serial) and its bus name. Registration is asynchronous: the settings first, then
// the name. clear() removes the services and their settings objects, so that they can be
// registered again under another serial (a replaced gateway).
//
// Bus names (docs/dbus.md, "Names and presence"): com.victronenergy.pvinverter.enphase_envoy,
// com.victronenergy.grid.enphase_envoy and com.victronenergy.battery.enphase_envoy; with
// ServiceSuffix::Serial (--service-suffix serial, used when several gateways are installed)
// "_<serial>" follows, e.g. com.victronenergy.pvinverter.enphase_envoy_122238082763.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "busitem/Bus.hpp"
#include "busitem/DeviceSettings.hpp"
#include "config/Config.hpp"
#include "venus/Battery.hpp"
#include "venus/DeviceCommon.hpp"
#include "venus/GridMeter.hpp"
#include "venus/PvInverter.hpp"

namespace app {

enum class ServiceSuffix { None, Serial };

// The bus name of a device: base, or base + "_" + serial with ServiceSuffix::Serial.
std::string service_name(const std::string& base, ServiceSuffix suffix, const std::string& serial);

struct DeviceHooks {
    // Who the device is, with the default instance its settings start from.
    std::function<venus::DeviceIdentity(const std::string& serial, int default_instance)> identity;
    // The device is on the bus under its name.
    std::function<void(venus::PvInverter&)> pv_ready;
    std::function<void(venus::GridMeter&)> grid_ready;
    // Its name could not be claimed (taken: kExitNameTaken, a bus failure: kExitFailure).
    std::function<void(const std::string& message, int exit_code)> fatal;
    // The battery is on the bus under its name (may be left empty).
    std::function<void(venus::Battery&)> battery_ready;
};

class DeviceServices {
public:
    DeviceServices(busitem::Bus& bus, const config::Config& config, ServiceSuffix suffix, DeviceHooks hooks);

    // Starts registering the PV inverter of serial; nothing else may be registered (clear()).
    void add_pv_inverter(const std::string& serial);
    // Starts registering the grid meter of the same serial.
    void add_grid_meter();
    // Starts registering the battery of the same serial (instance from [BATTERY] device_instance).
    void add_battery();
    // Removes every device from the bus and forgets their settings objects.
    void clear();

    // The serial the devices are registered under; "" before add_pv_inverter().
    const std::string& serial() const { return serial_; }
    bool grid_added() const { return grid_settings_ != nullptr; }
    bool battery_added() const { return battery_settings_ != nullptr; }
    // The devices once they are on the bus; null before.
    venus::PvInverter* pv() const { return pv_.get(); }
    venus::GridMeter* grid() const { return grid_.get(); }
    venus::Battery* battery() const { return battery_.get(); }

private:
    template <class Device>
    void add(std::unique_ptr<busitem::DeviceSettings>& settings, std::unique_ptr<Device>& device,
             busitem::DeviceSettingsConfig settings_config, const char* base_name, std::function<void(Device&)> ready);

    busitem::Bus& bus_;
    const config::Config& config_;
    ServiceSuffix suffix_;
    DeviceHooks hooks_;
    std::string state_file_;
    std::string serial_;
    std::unique_ptr<busitem::DeviceSettings> pv_settings_;
    std::unique_ptr<venus::PvInverter> pv_;
    std::unique_ptr<busitem::DeviceSettings> grid_settings_;
    std::unique_ptr<venus::GridMeter> grid_;
    std::unique_ptr<busitem::DeviceSettings> battery_settings_;
    std::unique_ptr<venus::Battery> battery_;
};

}  // namespace app
