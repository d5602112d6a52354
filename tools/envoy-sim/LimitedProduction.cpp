// envoy-sim: capping the production figures of the captured production endpoints.
#include "LimitedProduction.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

namespace sim {

namespace {

using Json = nlohmann::ordered_json;

double number_at(const Json& o, const char* key) {
    return o.is_object() && o.contains(key) && o[key].is_number() ? o[key].get<double>() : 0.0;
}

bool is_eim(const Json& entry, const char* measurement) {
    return entry.is_object() && entry.value("type", "") == "eim" && entry.value("measurementType", "") == measurement;
}

// Caps one production.json production entry; returns what each of its lines lost (total first).
std::vector<double> cap_entry(Json& entry, double cap_w) {
    const double before = number_at(entry, "wNow");
    if (!entry.is_object() || before <= cap_w) return {0.0};
    const double k = std::max(0.0, cap_w) / before;
    entry["wNow"] = before * k;
    std::vector<double> lost{before - before * k};
    if (entry.contains("lines") && entry["lines"].is_array()) {
        for (auto& line : entry["lines"]) {
            const double w = number_at(line, "wNow");
            if (line.is_object() && w > 0) line["wNow"] = w * k;
            lost.push_back(w > 0 ? w - w * k : 0.0);
        }
    }
    return lost;
}

void add_to_net(Json& doc, const std::vector<double>& lost) {
    if (!doc.contains("consumption") || !doc["consumption"].is_array()) return;
    for (auto& entry : doc["consumption"]) {
        if (!is_eim(entry, "net-consumption")) continue;
        entry["wNow"] = number_at(entry, "wNow") + lost[0];
        if (!entry.contains("lines") || !entry["lines"].is_array()) continue;
        for (std::size_t i = 0; i < entry["lines"].size() && i + 1 < lost.size(); ++i) {
            auto& line = entry["lines"][i];
            if (line.is_object()) line["wNow"] = number_at(line, "wNow") + lost[i + 1];
        }
    }
}

}  // namespace

double production_json_watts(const Json& doc) {
    if (!doc.is_object() || !doc.contains("production") || !doc["production"].is_array()) return 0.0;
    double inverters = 0;
    for (const auto& entry : doc["production"]) {
        if (is_eim(entry, "production") && entry.value("activeCount", 0) > 0) return number_at(entry, "wNow");
        if (entry.is_object() && entry.value("type", "") == "inverters") inverters = number_at(entry, "wNow");
    }
    return inverters;
}

double v1_production_watts(const Json& doc) { return number_at(doc, "wattsNow"); }

double inverters_watts(const Json& doc) {
    double sum = 0;
    if (doc.is_array()) {
        for (const auto& inverter : doc) sum += number_at(inverter, "lastReportWatts");
    }
    return sum;
}

Json capped_production_json(Json doc, double cap_w) {
    if (!doc.is_object() || !doc.contains("production") || !doc["production"].is_array()) return doc;
    std::vector<double> lost{0.0};
    for (auto& entry : doc["production"]) {
        auto entry_lost = cap_entry(entry, cap_w);
        if (is_eim(entry, "production")) lost = std::move(entry_lost);
    }
    add_to_net(doc, lost);
    return doc;
}

Json capped_v1_production(Json doc, double cap_w) {
    const double before = v1_production_watts(doc);
    if (before > cap_w) doc["wattsNow"] = static_cast<long long>(std::floor(std::max(0.0, cap_w)));
    return doc;
}

Json capped_inverters(Json doc, double cap_w) {
    const double before = inverters_watts(doc);
    if (before <= cap_w) return doc;
    const double k = std::max(0.0, cap_w) / before;
    for (auto& inverter : doc) {
        const double w = number_at(inverter, "lastReportWatts");
        if (inverter.is_object() && inverter.contains("lastReportWatts")) {
            inverter["lastReportWatts"] = static_cast<long long>(std::floor(w * k));
        }
    }
    return doc;
}

}  // namespace sim
