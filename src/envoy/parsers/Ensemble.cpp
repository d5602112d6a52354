// envoy/parsers: IQ Battery (Encharge) endpoints and production.json's AC Battery entry.
#include "envoy/parsers/Ensemble.hpp"

#include "envoy/parsers/JsonFields.hpp"
#include "envoy/parsers/ParseError.hpp"

namespace envoy::parse {

using detail::Json;

namespace {

// The gateway's power (positive = discharging) in Venus's sign.
model::Value charging(model::Value discharging, double scale) {
    if (!discharging) return std::nullopt;
    return -*discharging * scale + 0.0;  // + 0.0: no "-0"
}

}  // namespace

std::vector<model::BatteryUnit> ensemble_inventory(std::string_view body) {
    constexpr std::string_view kEndpoint = "/ivp/ensemble/inventory";
    const Json document = detail::load(kEndpoint, body);
    detail::expect_array(kEndpoint, document);
    std::vector<model::BatteryUnit> units;
    for (const Json& group : document) {
        if (!group.is_object() || detail::text(group, "type").value_or("") != "ENCHARGE") continue;
        const auto devices = group.find("devices");
        if (devices == group.end() || !devices->is_array()) continue;
        for (const Json& device : *devices) {
            if (!device.is_object()) continue;
            model::BatteryUnit unit;
            unit.serial = detail::text(device, "serial_num").value_or("");
            unit.soc = detail::number(device, "percentFull");
            unit.capacity_wh = detail::number(device, "encharge_capacity");
            unit.temperature = detail::number(device, "temperature");
            unit.max_cell_temperature = detail::number(device, "maxCellTemp");
            unit.communicating = detail::boolean(device, "communicating");
            unit.dc_switch_off = detail::boolean(device, "dc_switch_off");
            unit.state = detail::text(device, "admin_state_str").value_or("");
            units.push_back(std::move(unit));
        }
    }
    return units;
}

void ensemble_power(std::string_view body, std::vector<model::BatteryUnit>& units) {
    constexpr std::string_view kEndpoint = "/ivp/ensemble/power";
    const Json document = detail::load(kEndpoint, body);
    detail::expect_object(kEndpoint, document);
    auto devices = document.find("devices:");
    if (devices == document.end()) devices = document.find("devices");
    if (devices == document.end() || !devices->is_array()) {
        throw ParseError(std::string(kEndpoint) + ": no devices array");
    }
    for (const Json& device : *devices) {
        if (!device.is_object()) continue;
        const std::string serial = detail::text(device, "serial_num").value_or("");
        model::BatteryUnit* unit = nullptr;
        for (auto& known : units) {
            if (known.serial == serial) unit = &known;
        }
        if (unit == nullptr) {
            units.push_back(model::BatteryUnit{});
            unit = &units.back();
            unit->serial = serial;
        }
        unit->power = charging(detail::number(device, "real_power_mw"), 0.001);
        if (!unit->soc) unit->soc = detail::number(device, "soc");
    }
}

model::BatteryAggregate ensemble_secctrl(std::string_view body) {
    constexpr std::string_view kEndpoint = "/ivp/ensemble/secctrl";
    const Json document = detail::load(kEndpoint, body);
    detail::expect_object(kEndpoint, document);
    model::BatteryAggregate out;
    out.soc = detail::number(document, "ENC_agg_soc");
    if (!out.soc) out.soc = detail::number(document, "agg_soc");
    out.soh = detail::number(document, "ENC_agg_soh");
    out.available_energy_wh = detail::number(document, "ENC_agg_avail_energy");
    out.max_energy_wh = detail::number(document, "Enc_max_available_capacity");
    if (!out.max_energy_wh) out.max_energy_wh = detail::number(document, "Max_energy");
    out.commissioned_capacity_wh = detail::number(document, "Enc_commissioned_capacity");
    out.backup_reserve = detail::number(document, "configured_backup_soc");
    out.site_soc = detail::number(document, "agg_soc");
    out.site_max_energy_wh = detail::number(document, "Max_energy");
    out.acb_soc = detail::number(document, "ACB_agg_soc");
    out.acb_energy_wh = detail::number(document, "ACB_agg_energy");
    return out;
}

std::optional<model::AcBattery> ac_battery(std::string_view body) {
    constexpr std::string_view kEndpoint = "/production.json";
    const Json document = detail::load(kEndpoint, body);
    detail::expect_object(kEndpoint, document);
    const auto storage = document.find("storage");
    if (storage == document.end() || !storage->is_array()) return std::nullopt;
    for (const Json& entry : *storage) {
        if (!entry.is_object() || detail::text(entry, "type").value_or("") != "acb") continue;
        model::AcBattery out;
        out.active_count = static_cast<int>(detail::integer(entry, "activeCount").value_or(0));
        if (out.active_count <= 0) return std::nullopt;
        out.power = charging(detail::number(entry, "wNow"), 1.0);
        out.energy_wh = detail::number(entry, "whNow");
        out.soc = detail::number(entry, "percentFull");
        out.state = detail::text(entry, "state").value_or("");
        return out;
    }
    return std::nullopt;
}

}  // namespace envoy::parse
