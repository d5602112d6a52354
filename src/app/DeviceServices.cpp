// app: DeviceServices, the PV inverter, grid meter and battery of one gateway serial on D-Bus.
#include "app/DeviceServices.hpp"

#include "app/ExitCode.hpp"
#include "busitem/Service.hpp"
#include "log/Log.hpp"

namespace app {

std::string service_name(const std::string& base, ServiceSuffix suffix, const std::string& serial) {
    return suffix == ServiceSuffix::Serial ? base + "_" + serial : base;
}

DeviceServices::DeviceServices(busitem::Bus& bus, const config::Config& config, ServiceSuffix suffix, DeviceHooks hooks)
    : bus_(bus),
      config_(config),
      suffix_(suffix),
      hooks_(std::move(hooks)),
      state_file_(config.energy.state_dir + "/device-settings.json") {}

template <class Device>
void DeviceServices::add(std::unique_ptr<busitem::DeviceSettings>& settings, std::unique_ptr<Device>& device,
                         busitem::DeviceSettingsConfig settings_config, const char* base_name,
                         std::function<void(Device&)> ready) {
    const int default_instance = settings_config.default_instance;
    settings = std::make_unique<busitem::DeviceSettings>(bus_, std::move(settings_config));
    settings->on_change([&device] {
        if (device) device->show_settings();
    });
    settings->start([this, &settings, &device, default_instance, base_name, ready = std::move(ready)] {
        const std::string name = service_name(base_name, suffix_, serial_);
        try {
            device = std::make_unique<Device>(bus_, hooks_.identity(serial_, default_instance), *settings, name);
        } catch (const busitem::NameTaken& error) {
            hooks_.fatal(error.what(), kExitNameTaken);
            return;
        } catch (const busitem::BusError& error) {
            hooks_.fatal(std::string("D-Bus: ") + error.what(), kExitFailure);
            return;
        }
        LOG_INFO("on D-Bus as " << name << ", device instance " << settings->instance()
                                << (settings->from_settings_service() ? " (from the settings service)" : " (configured)"));
        ready(*device);
    });
}

void DeviceServices::add_pv_inverter(const std::string& serial) {
    serial_ = serial;
    auto settings = venus::pv_inverter_settings(serial, config_.pv.device_instance, state_file_);
    settings.default_position = config_.pv.position;
    settings.default_custom_name = config_.pv.custom_name;
    add(pv_settings_, pv_, std::move(settings), venus::kPvInverterServiceName, hooks_.pv_ready);
}

void DeviceServices::add_grid_meter() {
    add(grid_settings_, grid_, venus::grid_meter_settings(serial_, config_.grid.device_instance, state_file_),
        venus::kGridMeterServiceName, hooks_.grid_ready);
}

void DeviceServices::add_battery() {
    std::function<void(venus::Battery&)> ready = hooks_.battery_ready;
    if (!ready) ready = [](venus::Battery&) {};
    add(battery_settings_, battery_, venus::battery_settings(serial_, config_.battery.device_instance, state_file_),
        venus::kBatteryServiceName, std::move(ready));
}

void DeviceServices::clear() {
    battery_.reset();
    battery_settings_.reset();
    grid_.reset();
    grid_settings_.reset();
    pv_.reset();
    pv_settings_.reset();
    serial_.clear();
}

}  // namespace app
