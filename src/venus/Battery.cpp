// venus/Battery: maps model::BatteryTotal onto the Venus battery items.
#include "venus/Battery.hpp"

#include <algorithm>
#include <cstdint>
#include <optional>

namespace venus {

namespace {

using busitem::Value;

busitem::Formatter percent() { return busitem::format::unit("%", 1); }
busitem::Formatter celsius() { return busitem::format::unit("°C", 1); }
busitem::Formatter watt_hours() { return busitem::format::unit("Wh", 0); }

Value count(int n) { return Value(std::int32_t{n}); }

}  // namespace

busitem::DeviceSettingsConfig battery_settings(const std::string& serial, int default_instance, std::string state_file) {
    busitem::DeviceSettingsConfig config;
    config.unique_id = "enphase_envoy_battery_" + serial;
    config.device_class = "battery";
    config.default_instance = default_instance;
    config.with_position = false;
    config.state_file = std::move(state_file);
    return config;
}

Battery::Battery(busitem::Bus& bus, DeviceIdentity identity, busitem::DeviceSettings& settings, std::string service_name)
    : service_(bus.loop(), std::move(service_name)), device_(service_, identity, "Enphase Envoy battery", settings) {
    soc_ = service_.add("/Soc", Value(), percent());
    soh_ = service_.add("/Soh", Value(), percent());
    power_ = service_.add("/Dc/0/Power", Value(), busitem::format::watts());
    temperature_ = service_.add("/Dc/0/Temperature", Value(), celsius());
    // AC-coupled: no DC voltage, current, amp-hours or time to go that anything measured.
    service_.add("/Dc/0/Voltage", Value(), busitem::format::volts());
    service_.add("/Dc/0/Current", Value(), busitem::format::amps());
    service_.add("/ConsumedAmphours", Value(), busitem::format::unit("Ah", 1));
    service_.add("/TimeToGo", Value(), busitem::format::unit("s", 0));
    charged_ = service_.add("/History/ChargedEnergy", Value(), busitem::format::kwh());
    discharged_ = service_.add("/History/DischargedEnergy", Value(), busitem::format::kwh());
    batteries_ = service_.add("/System/NrOfBatteries", Value());
    modules_online_ = service_.add("/System/NrOfModulesOnline", Value());
    modules_offline_ = service_.add("/System/NrOfModulesOffline", Value());
    max_cell_temperature_ = service_.add("/System/MaxCellTemperature", Value(), celsius());
    capacity_ = service_.add("/Enphase/Capacity", Value(), watt_hours());
    available_energy_ = service_.add("/Enphase/AvailableEnergy", Value(), watt_hours());
    backup_reserve_ = service_.add("/Enphase/BackupReserve", Value(), percent());
    service_.claim();
}

void Battery::set_measurements(const model::BatteryTotal* total) {
    const model::BatteryTotal none;
    const model::BatteryTotal& t = total != nullptr ? *total : none;
    soc_.set(busitem::measurement(t.soc));
    soh_.set(busitem::measurement(t.soh));
    power_.set(busitem::measurement(t.power));
    temperature_.set(busitem::measurement(t.temperature));
    charged_.set(busitem::measurement(t.charged_kwh));
    discharged_.set(busitem::measurement(t.discharged_kwh));
    capacity_.set(busitem::measurement(t.capacity_wh));
    available_energy_.set(busitem::measurement(t.available_energy_wh));
    backup_reserve_.set(busitem::measurement(t.backup_reserve));
    max_cell_temperature_.set(busitem::measurement(t.max_cell_temperature));
    if (total == nullptr) {
        batteries_.set(Value());
        modules_online_.set(Value());
        modules_offline_.set(Value());
        return;
    }
    batteries_.set(count(t.count));
    modules_online_.set(count(t.online));
    modules_offline_.set(count(std::max(t.count - t.online, 0)));
}

void Battery::publish(const model::BatteryTotal& total) {
    set_measurements(&total);
    device_.set_connected(true);
    device_.bump_update_index();
    service_.flush_batch();
}

void Battery::set_disconnected() {
    set_measurements(nullptr);
    device_.set_connected(false);
    service_.flush();
}

void Battery::set_connection(std::string connection) { device_.show_connection(std::move(connection)); }

}  // namespace venus
