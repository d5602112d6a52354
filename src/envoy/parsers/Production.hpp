// envoy/parsers: /production.json, /api/v1/production and /api/v1/production/inverters.
#pragma once

#include <string_view>

#include "model/Production.hpp"

namespace envoy::parse {

// /production.json (with or without ?details=1). The "inverters" entry of production[] gives
// inverters_power (wNow), inverters_wh_lifetime and inverters_active; the "eim" entries of
// production[] and consumption[] fill production / net_consumption / total_consumption by
// measurementType. An eim entry with activeCount 0 is not present. Totals: wNow, rmsCurrent,
// reactPwr, apprntPwr, pwrFactor, whToday, vahToday, whLifetime, vahLifetime, and rmsVoltage
// when there are no lines (with lines it is their sum: finish() averages them instead); lines[]
// become phases up to the last one that carries data (phase_count 0 without lines). When
// total-consumption repeats net-consumption although PV produced (the 8.3.5433 firmware fault)
// it is dropped and total_consumption_is_net set. No derivation or clamping is applied. Throws
// ParseError on a body that is not a JSON object (old firmware answers an HTML page) or whose
// production/consumption is not an array of objects.
model::ProductionSummary production_json(std::string_view json);

// /api/v1/production: wattsNow, wattHoursToday, wattHoursSevenDays, wattHoursLifetime. Throws
// ParseError on a body that is not a JSON object or has none of these fields.
model::InverterProduction api_v1_production(std::string_view json);

// /api/v1/production/inverters: one report per microinverter. Throws ParseError on a body that
// is not an array of objects or an entry without serialNumber. A missing lastReportDate or
// lastReportWatts reads as 0 (the model has no "unknown" for them).
model::InverterReports inverters(std::string_view json);

}  // namespace envoy::parse
