// envoy-sim: generated /inventory.json and /datatab/event_dt.rb answers for captures that did
// not record them, built from the capture's /api/v1/production/inverters.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>

namespace sim {

// [{"type":"PCU","devices":[...]}] with one plausible PCU device per inverter serial.
nlohmann::ordered_json generate_inventory(const nlohmann::ordered_json& inverters);

// {"aaData":[[id, message, serial, type, date], ...], "iTotalRecords":N, ...}, newest first,
// rows [start, start+length) of a small fixed history ending at now_epoch.
nlohmann::ordered_json generate_events(const nlohmann::ordered_json& inverters, std::int64_t now_epoch,
                                       std::size_t start, std::size_t length);

}  // namespace sim
