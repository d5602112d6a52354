// mqtt: JSON encoding of the battery object (see BatteryEncoder.hpp).
#include "mqtt/BatteryEncoder.hpp"

#include "mqtt/JsonNumbers.hpp"

namespace mqtt {
namespace {

using detail::Json;
using detail::number;

Json text_or_null(const std::string& text) {
    if (text.empty()) return nullptr;
    return text;
}

Json flag(const std::optional<bool>& value) {
    if (!value) return nullptr;
    return *value;
}

Json unit_json(const model::BatteryUnit& unit) {
    Json json;
    json["serial"] = unit.serial;
    json["soc"] = number(unit.soc);
    json["power"] = number(unit.power);
    json["capacity"] = number(unit.capacity_wh);
    json["temperature"] = number(unit.temperature);
    json["communicating"] = flag(unit.communicating);
    json["state"] = text_or_null(unit.state);
    return json;
}

Json acb_json(const model::AcBattery& acb) {
    Json json;
    json["power"] = number(acb.power);
    json["available_energy"] = number(acb.energy_wh);
    json["soc"] = number(acb.soc);
    json["count"] = acb.active_count;
    json["state"] = text_or_null(acb.state);
    return json;
}

}  // namespace

nlohmann::ordered_json battery_json(const model::BatteryTotal& total, const model::Batteries& batteries) {
    Json json;
    json["soc"] = number(total.soc);
    json["soh"] = number(total.soh);
    json["power"] = number(total.power);
    json["capacity"] = number(total.capacity_wh);
    json["available_energy"] = number(total.available_energy_wh);
    json["backup_reserve"] = number(total.backup_reserve);
    json["temperature"] = number(total.temperature);
    json["count"] = total.count;
    json["online"] = total.online;
    json["charged"] = number(total.charged_kwh);
    json["discharged"] = number(total.discharged_kwh);
    Json units = Json::array();
    for (const auto& unit : batteries.units) units.push_back(unit_json(unit));
    json["batteries"] = std::move(units);
    if (batteries.acb) json["acb"] = acb_json(*batteries.acb);
    return json;
}

std::string encode_battery(const model::BatteryTotal& total, const model::Batteries& batteries) {
    return battery_json(total, batteries).dump(-1, ' ', false, Json::error_handler_t::replace);
}

}  // namespace mqtt
