// envoy/parsers: production summaries (/production.json, /api/v1/production) and inverter reports.
#include "envoy/parsers/Production.hpp"

#include <cmath>
#include <string>

#include "envoy/parsers/JsonFields.hpp"
#include "envoy/parsers/MeterSemantics.hpp"
#include "envoy/parsers/ParseError.hpp"

namespace envoy::parse {
namespace {

using detail::Json;
using detail::number;

constexpr std::string_view kProductionJson = "/production.json";
constexpr std::string_view kApiV1 = "/api/v1/production";
constexpr std::string_view kInverters = "/api/v1/production/inverters";
constexpr double kPvLifetimeWh = 1000.0;
constexpr std::int64_t kLatestDate = std::int64_t{1} << 40;  // epoch seconds  // a production meter that counted this much has seen PV

model::PhaseValues eim_values(const Json& entry) {
    model::PhaseValues p;
    p.power = number(entry, "wNow");
    p.current = number(entry, "rmsCurrent");
    p.voltage = number(entry, "rmsVoltage");
    p.reactive_power = number(entry, "reactPwr");
    p.apparent_power = number(entry, "apprntPwr");
    p.power_factor = number(entry, "pwrFactor");
    p.wh_today = number(entry, "whToday");
    p.vah_today = number(entry, "vahToday");
    p.wh_lifetime = number(entry, "whLifetime");
    p.vah_lifetime = number(entry, "vahLifetime");
    return p;
}

model::MeterValues eim_meter(const Json& entry, const char* list) {
    model::MeterValues m;
    if (const auto active = detail::integer(entry, "activeCount"); active && *active == 0) return m;
    m.present = true;
    m.total = eim_values(entry);
    const auto lines = entry.find("lines");
    if (lines == entry.end() || !lines->is_array() || lines->empty()) return m;
    int listed = 0;
    for (const Json& line : *lines) {
        if (listed == model::kMaxPhases) break;
        detail::expect_object(kProductionJson, line, std::string(list) + "[].lines[]");
        m.phases[static_cast<std::size_t>(listed++)] = eim_values(line);
    }
    m.phase_count = phases_with_data(m, listed);
    for (int i = m.phase_count; i < model::kMaxPhases; ++i) m.phases[static_cast<std::size_t>(i)] = {};
    // The entry's rmsVoltage is the sum over its lines; the total voltage is their average.
    m.total.voltage.reset();
    return m;
}

bool same(const model::Value& a, const model::Value& b, double tolerance) {
    return a && b && std::abs(*a - *b) <= tolerance;
}

// The 8.3.5433 fault: total-consumption repeats net-consumption while PV has produced, which
// a sound gateway cannot report (total = production + net).
bool total_repeats_net(const model::ProductionSummary& s) {
    if (!s.total_consumption.present || !s.net_consumption.present || !s.production.present) return false;
    const auto& total = s.total_consumption.total;
    const auto& net = s.net_consumption.total;
    const auto& pv = s.production.total;
    const bool pv_produced = (pv.power && std::abs(*pv.power) >= kPvNoiseWatts) ||
                             (pv.wh_lifetime && *pv.wh_lifetime >= kPvLifetimeWh);
    return pv_produced && same(total.power, net.power, 1e-3) &&
           (!total.wh_lifetime || !net.wh_lifetime || same(total.wh_lifetime, net.wh_lifetime, 0.5));
}

model::MeterValues* eim_target(model::ProductionSummary& s, const std::optional<std::string>& name) {
    switch (measurement_type(name.value_or(""))) {
        case model::MeasurementType::Production: return &s.production;
        case model::MeasurementType::NetConsumption: return &s.net_consumption;
        case model::MeasurementType::TotalConsumption: return &s.total_consumption;
        default: break;  // production.json's eim list holds only the three site meters
    }
    return nullptr;
}

void read_list(const Json& doc, const char* list, model::ProductionSummary& s) {
    const auto it = doc.find(list);
    if (it == doc.end() || it->is_null()) return;
    detail::expect_array(kProductionJson, *it, list);
    for (const Json& entry : *it) {
        detail::expect_object(kProductionJson, entry, std::string(list) + "[]");
        const auto type = detail::text(entry, "type");
        if (type == "inverters") {
            s.inverters_power = number(entry, "wNow");
            s.inverters_wh_lifetime = number(entry, "whLifetime");
            if (const auto active = detail::integer(entry, "activeCount"); active && *active >= 0 && *active <= 1000000) {
                s.inverters_active = static_cast<int>(*active);
            }
        } else if (type == "eim") {
            model::MeterValues* target = eim_target(s, detail::text(entry, "measurementType"));
            if (target && !target->present) *target = eim_meter(entry, list);
        }
    }
}

}  // namespace

model::ProductionSummary production_json(std::string_view json) {
    const Json doc = detail::load(kProductionJson, json);
    detail::expect_object(kProductionJson, doc);
    if (!doc.contains("production") && !doc.contains("consumption")) {
        throw ParseError(std::string(kProductionJson) + ": neither production nor consumption in the answer");
    }
    model::ProductionSummary s;
    read_list(doc, "production", s);
    read_list(doc, "consumption", s);
    if (total_repeats_net(s)) {
        s.total_consumption = {};
        s.total_consumption_is_net = true;
    }
    return s;
}

model::InverterProduction api_v1_production(std::string_view json) {
    const Json doc = detail::load(kApiV1, json);
    detail::expect_object(kApiV1, doc);
    model::InverterProduction p;
    p.watts_now = number(doc, "wattsNow");
    p.wh_today = number(doc, "wattHoursToday");
    p.wh_seven_days = number(doc, "wattHoursSevenDays");
    p.wh_lifetime = number(doc, "wattHoursLifetime");
    if (!doc.contains("wattsNow") && !doc.contains("wattHoursToday") && !doc.contains("wattHoursSevenDays") &&
        !doc.contains("wattHoursLifetime")) {
        throw ParseError(std::string(kApiV1) + ": no wattsNow or wattHours fields in the answer");
    }
    return p;
}

model::InverterReports inverters(std::string_view json) {
    const Json doc = detail::load(kInverters, json);
    detail::expect_array(kInverters, doc);
    model::InverterReports reports;
    reports.reserve(doc.size());
    for (const Json& entry : doc) {
        detail::expect_object(kInverters, entry, "inverter");
        model::InverterReport r;
        auto serial = detail::text(entry, "serialNumber");
        if (!serial || serial->empty()) throw ParseError(std::string(kInverters) + ": an inverter without serialNumber");
        r.serial = std::move(*serial);
        // Out of any plausible range (before 1970, after year 36812) reads as unknown: no sum or
        // difference of dates can overflow then.
        const auto date = detail::integer(entry, "lastReportDate").value_or(0);
        r.last_report_date = date >= 0 && date <= kLatestDate ? date : 0;
        r.last_report_watts = number(entry, "lastReportWatts").value_or(0.0);
        r.max_report_watts = number(entry, "maxReportWatts");
        r.dev_type = detail::text(entry, "devType").value_or("");
        reports.push_back(std::move(r));
    }
    return reports;
}

}  // namespace envoy::parse
