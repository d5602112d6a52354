// envoy-sim: parsing and writing the DPEL document and the forced-off switch body.
#include "LimitBodies.hpp"

namespace sim {

namespace {

using Json = nlohmann::ordered_json;

// Reads an optional field into out; false (with *why) when it is there with another type or range.
bool read_bool(const Json& o, const char* key, bool& out, std::string* why) {
    if (!o.contains(key)) return true;
    if (!o[key].is_boolean()) {
        *why = std::string(key) + " must be true or false";
        return false;
    }
    out = o[key].get<bool>();
    return true;
}

bool read_watts(const Json& o, const char* key, double& out, std::string* why) {
    if (!o.contains(key)) return true;
    if (!o[key].is_number() || o[key].get<double>() < 0) {
        *why = std::string(key) + " must be a number of at least 0";
        return false;
    }
    out = o[key].get<double>();
    return true;
}

}  // namespace

std::optional<DpelDocument> parse_dpel_document(const std::string& body, std::string* why) {
    const Json doc = Json::parse(body, nullptr, false);
    if (!doc.is_object()) {
        *why = "the body is not a JSON object";
        return std::nullopt;
    }
    if (!doc.contains("dynamic_pel_settings") || !doc["dynamic_pel_settings"].is_object()) {
        *why = "no dynamic_pel_settings object";
        return std::nullopt;
    }
    const Json& s = doc["dynamic_pel_settings"];
    if (!s.contains("enable")) {
        *why = "no enable field";
        return std::nullopt;
    }
    DpelDocument out;
    if (!read_bool(s, "enable", out.enable, why) || !read_bool(s, "export_limit", out.export_limit, why) ||
        !read_bool(s, "enable_dynamic_limiting", out.dynamic_limiting, why) ||
        !read_watts(s, "limit_value_W", out.limit_w, why) || !read_watts(s, "slew_rate", out.slew_rate, why)) {
        return std::nullopt;
    }
    if (out.enable && !s.contains("limit_value_W")) {
        *why = "enable without limit_value_W";
        return std::nullopt;
    }
    return out;
}

DpelDocument dpel_from_capture(const nlohmann::ordered_json& captured) {
    std::string ignored;
    if (captured.is_null()) return {};
    return parse_dpel_document(captured.dump(), &ignored).value_or(DpelDocument{});
}

nlohmann::ordered_json dpel_json(const DpelDocument& s) {
    return {{"dynamic_pel_settings",
             {{"enable", s.enable},
              {"export_limit", s.export_limit},
              {"limit_value_W", s.limit_w},
              {"slew_rate", s.slew_rate},
              {"enable_dynamic_limiting", s.dynamic_limiting}}},
            {"filename", "site_settings"},
            {"version", "00.00.01"}};
}

std::optional<bool> parse_forced_off(const std::string& body) {
    const Json doc = Json::parse(body, nullptr, false);
    if (!doc.is_object() || !doc.contains("arr") || !doc["arr"].is_array() || doc["arr"].size() != 1) {
        return std::nullopt;
    }
    if (doc.contains("length") && doc["length"] != 1) return std::nullopt;
    const Json& v = doc["arr"][0];
    if (v == 1) return true;
    if (v == 0) return false;
    return std::nullopt;
}

}  // namespace sim
