// envoy/parsers: /inventory.json (devices by type) and /datatab/event_dt.rb (the event log).
#pragma once

#include <string_view>

#include "model/Devices.hpp"

namespace envoy::parse {

// /inventory.json: [{type, devices:[{serial_num, part_num, device_status[], producing,
// communicating, provisioned, operating, last_rpt_date, relay?, reason?}]}]. PCU -> inverters,
// ACB and ENCHARGE -> batteries, NSRB (Q-Relay) -> relays, anything else -> others. Throws
// ParseError on the wrong shape or a device without serial_num.
model::Devices inventory(std::string_view json);

// /datatab/event_dt.rb: {"aaData":[[id, message, serial, type, datetime], ...]}, newest first.
// Throws ParseError when aaData is missing or a row is not an array of at least 5 items.
model::Events events(std::string_view json);

}  // namespace envoy::parse
