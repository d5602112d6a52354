// model: production summaries (/production.json, /api/v1/production) and microinverter reports.
#pragma once

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "model/Snapshot.hpp"

namespace model {

// /production.json?details=1: the inverters' summary and the eim (CT) meters.
struct ProductionSummary {
    Value inverters_power;                  // W, production[type=inverters].wNow
    Value inverters_wh_lifetime;            // Wh
    std::optional<int> inverters_active;    // activeCount of the inverters entry
    MeterValues production;                 // eim production, present only if activeCount > 0
    MeterValues net_consumption;            // eim net-consumption, present only if active
    MeterValues total_consumption;          // eim total-consumption, present only if active and sound
    // The firmware fault of 8.3.5433: total-consumption repeats net-consumption (power and
    // lifetime) although PV produces; total_consumption is then left absent.
    bool total_consumption_is_net = false;
    bool operator==(const ProductionSummary&) const = default;
};

// /api/v1/production
struct InverterProduction {
    Value watts_now;
    Value wh_today;
    Value wh_seven_days;
    Value wh_lifetime;
    bool operator==(const InverterProduction&) const = default;
};

// One element of /api/v1/production/inverters.
struct InverterReport {
    std::string serial;
    std::int64_t last_report_date = 0;      // epoch seconds
    double last_report_watts = 0;
    std::optional<double> max_report_watts;
    std::string dev_type;                   // devType when present (as text)
    bool operator==(const InverterReport&) const = default;
};

using InverterReports = std::vector<InverterReport>;

// The time of the newest report (epoch seconds, the gateway's clock), 0 without reports. Reports
// are judged against it rather than the GX device's clock, which may be wrong after a boot.
inline std::int64_t newest_report(const InverterReports& reports) {
    std::int64_t newest = 0;
    for (const auto& report : reports) newest = std::max(newest, report.last_report_date);
    return newest;
}

}  // namespace model
