// envoy/parsers: /info (XML) -> model::GatewayInfo: serial, part number, firmware, metering board.
#pragma once

#include <optional>
#include <string_view>

#include "model/Gateway.hpp"

namespace envoy::parse {

// Reads <device><sn>, <pn>, <software>, <imeter> and <web-tokens>. firmware_major comes from the
// first number of the software string ("D7.6.175" -> 7). Throws ParseError when there is no
// <device> element, <sn>/<software> is missing or empty, or the serial is not a valid one
// (model::valid_serial: it names D-Bus paths, settings and files).
model::GatewayInfo info(std::string_view xml);

// The major version of a firmware string such as "D8.2.4345" or "R3.9.36"; nullopt if none.
std::optional<int> firmware_major(std::string_view software);

}  // namespace envoy::parse
