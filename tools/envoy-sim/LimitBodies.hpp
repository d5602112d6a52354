// envoy-sim: the JSON bodies of the production limit endpoints: the DPEL settings document
// (/ivp/ss/dpel, read and written) and the forced-off switch (/ivp/mod/603980032/mode/power).
// Checked strictly: the simulator answers 400 to a body a gateway would not take.
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string>

namespace sim {

struct DpelDocument {
    bool enable = false;
    bool export_limit = false;
    double limit_w = 0;
    double slew_rate = 0;
    bool dynamic_limiting = false;
};

// A POST body {"dynamic_pel_settings": {"enable": bool, "export_limit": bool, "limit_value_W": W,
// "slew_rate": W/s, "enable_dynamic_limiting": bool}, ...}: enable is required, limit_value_W too
// when enable is true; numbers are not negative. nullopt with the reason in *why otherwise.
std::optional<DpelDocument> parse_dpel_document(const std::string& body, std::string* why);
// The capture's ivp_ss_dpel file, or the gateway's default (everything off) when null.
DpelDocument dpel_from_capture(const nlohmann::ordered_json& captured);
// The GET answer: the settings in their wrapper with filename and version.
nlohmann::ordered_json dpel_json(const DpelDocument& settings);

// A PUT body {"length": 1, "arr": [1]} (force off) or [0] (back on); nullopt for anything else.
std::optional<bool> parse_forced_off(const std::string& body);

}  // namespace sim
