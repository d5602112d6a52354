// envoy/parsers: the production limit endpoints (DPEL, PEL settings, PV limit, forced off).
#include "envoy/parsers/PowerLimit.hpp"

#include "envoy/parsers/JsonFields.hpp"
#include "envoy/parsers/ParseError.hpp"

namespace envoy::parse {

using detail::Json;

model::DpelSettings dpel(std::string_view body) {
    constexpr std::string_view kEndpoint = "/ivp/ss/dpel";
    const Json document = detail::load(kEndpoint, body);
    detail::expect_object(kEndpoint, document);
    const auto settings = document.find("dynamic_pel_settings");
    if (settings == document.end() || !settings->is_object()) {
        throw ParseError(std::string(kEndpoint) + ": no dynamic_pel_settings object");
    }
    model::DpelSettings out;
    out.enable = detail::boolean(*settings, "enable").value_or(false);
    out.export_limit = detail::boolean(*settings, "export_limit").value_or(false);
    out.limit_w = detail::number(*settings, "limit_value_W");
    out.slew_rate = detail::number(*settings, "slew_rate");
    out.dynamic_limiting = detail::boolean(*settings, "enable_dynamic_limiting").value_or(false);
    return out;
}

model::PelSettings pel_settings(std::string_view body) {
    constexpr std::string_view kEndpoint = "/ivp/ss/pel_settings";
    const Json document = detail::load(kEndpoint, body);
    detail::expect_object(kEndpoint, document);
    const auto pel = detail::boolean(document, "PEL");
    if (!pel) throw ParseError(std::string(kEndpoint) + ": no PEL field");
    model::PelSettings out;
    out.pel = *pel;
    out.soft = detail::boolean(document, "Soft_PEL");
    out.percent = detail::boolean(document, "percent");
    out.limit = detail::number(document, "PEL_Limit");
    return out;
}

model::PvLimit pv_limit(std::string_view body) {
    constexpr std::string_view kEndpoint = "/ivp/sc/pvlimit";
    const Json document = detail::load(kEndpoint, body);
    detail::expect_object(kEndpoint, document);
    model::PvLimit out;
    out.enable = detail::boolean(document, "enable").value_or(false);
    out.percent = detail::number(document, "pv_limit_pct");
    return out;
}

bool power_forced_off(std::string_view body) {
    constexpr std::string_view kEndpoint = "/ivp/mod/603980032/mode/power";
    const Json document = detail::load(kEndpoint, body);
    detail::expect_object(kEndpoint, document);
    const auto off = detail::boolean(document, "powerForcedOff");
    if (!off) throw ParseError(std::string(kEndpoint) + ": no powerForcedOff field");
    return *off;
}

std::string dpel_request(const model::DpelSettings& settings) {
    Json inner = {{"enable", settings.enable},
                  {"export_limit", settings.export_limit},
                  {"limit_value_W", settings.limit_w.value_or(0.0)},
                  {"slew_rate", settings.slew_rate.value_or(0.0)},
                  {"enable_dynamic_limiting", false}};
    Json document = {{"dynamic_pel_settings", std::move(inner)}, {"filename", "site_settings"}, {"version", "00.00.01"}};
    return document.dump();
}

}  // namespace envoy::parse
