// envoy-sim: the captured production endpoints (/production.json, /api/v1/production,
// /api/v1/production/inverters) as they read while a production limit caps the site: each
// production figure above the cap is brought down to it, inverters in proportion, and the net
// consumption grows by what production lost (consumption itself does not change). Pure.
#pragma once

#include <nlohmann/json.hpp>

namespace sim {

// The production an answer reports (production.json: the production CT when it has one, else
// the inverters; /api/v1/production: wattsNow; inverters: the sum of lastReportWatts).
double production_json_watts(const nlohmann::ordered_json& doc);
double v1_production_watts(const nlohmann::ordered_json& doc);
double inverters_watts(const nlohmann::ordered_json& doc);

// The same answers with production capped at cap_w.
nlohmann::ordered_json capped_production_json(nlohmann::ordered_json doc, double cap_w);
nlohmann::ordered_json capped_v1_production(nlohmann::ordered_json doc, double cap_w);
nlohmann::ordered_json capped_inverters(nlohmann::ordered_json doc, double cap_w);

}  // namespace sim
