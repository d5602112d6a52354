// envoy/parsers: the IQ Battery (Encharge) endpoints and the AC Battery entry of production.json
// -> model values. Pure. Powers are turned into Venus's sign (positive = charging): the gateway
// reports a battery's real_power_mw and the ACB's wNow positive when it discharges.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "model/Battery.hpp"

namespace envoy::parse {

// /ivp/ensemble/inventory: [{"type": "ENCHARGE", "devices": [...]}, {"type": "ENPOWER", ...}]; the
// ENCHARGE devices, power unknown. Throws ParseError when it is not a JSON array.
std::vector<model::BatteryUnit> ensemble_inventory(std::string_view body);
// /ivp/ensemble/power: {"devices:": [{"serial_num", "real_power_mw", "soc"}]} (the key really has
// the colon on some firmware; "devices" is read too). Sets power and, where the inventory gave
// none, soc of the units with the same serial; a serial the inventory does not list is added.
// Throws ParseError when it is not a JSON object with such an array.
void ensemble_power(std::string_view body, std::vector<model::BatteryUnit>& units);
// /ivp/ensemble/secctrl. Throws ParseError when it is not a JSON object.
model::BatteryAggregate ensemble_secctrl(std::string_view body);
// /production.json: the storage entry of type "acb", when there is one with activeCount > 0.
// Throws ParseError when it is not JSON.
std::optional<model::AcBattery> ac_battery(std::string_view body);

}  // namespace envoy::parse
