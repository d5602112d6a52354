// envoy/parsers: the production limit endpoints' answers -> model values, and the body of a
// DPEL write. Pure: no I/O, no clock.
#pragma once

#include <string>
#include <string_view>

#include "model/PowerLimit.hpp"

namespace envoy::parse {

// /ivp/ss/dpel: {"dynamic_pel_settings": {"enable", "export_limit", "limit_value_W", "slew_rate",
// "enable_dynamic_limiting"}, ...}. Throws ParseError when it is not JSON or has no
// dynamic_pel_settings object; missing fields read as off / unknown.
model::DpelSettings dpel(std::string_view body);
// /ivp/ss/pel_settings: {"PEL", "Soft_PEL", "percent", "PEL_Limit", ...}; throws ParseError when it
// is not a JSON object or has no PEL.
model::PelSettings pel_settings(std::string_view body);
// /ivp/sc/pvlimit: {"enable", "pv_limit_pct"}; throws ParseError when it is not a JSON object.
model::PvLimit pv_limit(std::string_view body);
// /ivp/mod/603980032/mode/power: {"powerForcedOff": bool}; throws ParseError without it.
bool power_forced_off(std::string_view body);

// The body of POST /ivp/ss/dpel setting settings (enable_dynamic_limiting always false: the
// relay schedule stays the installer's), with the wrapper the gateway expects.
std::string dpel_request(const model::DpelSettings& settings);

}  // namespace envoy::parse
