// envoy-sim: one modelled battery behind the capture's battery endpoints and its storage CT.
#include "BatteryModel.hpp"

#include <algorithm>
#include <cmath>

namespace sim {
namespace {

using Json = nlohmann::ordered_json;

double num(const Json& j, const char* key, double fallback = 0.0) {
    if (!j.is_object() || !j.contains(key) || !j[key].is_number()) return fallback;
    return j[key].get<double>();
}

bool has_num(const Json& j, const char* key) { return j.is_object() && j.contains(key) && j[key].is_number(); }

// The power file's device array ("devices:" on the captured firmware).
const char* devices_key(const Json& power) {
    return power.is_object() && power.contains("devices:") ? "devices:" : "devices";
}

Json* encharge_devices(Json& inventory) {
    if (!inventory.is_array()) return nullptr;
    for (auto& group : inventory) {
        if (group.is_object() && group.value("type", "") == "ENCHARGE" && group.contains("devices") &&
            group["devices"].is_array()) {
            return &group["devices"];
        }
    }
    return nullptr;
}

// The enabled storage CT's reading, or null.
Json storage_reading(const Json& meters, const Json& readings) {
    if (!meters.is_array() || !readings.is_array()) return nullptr;
    for (const auto& m : meters) {
        if (!m.is_object() || m.value("measurementType", "") != "storage" || m.value("state", "") != "enabled") continue;
        for (const auto& r : readings) {
            if (r.is_object() && r.contains("eid") && r["eid"] == m["eid"]) return r;
        }
    }
    return nullptr;
}

}  // namespace

BatteryModel::BatteryModel(const Json& inventory, const Json& power, const Json& secctrl, const Json& meters,
                           const Json& readings, bool animated)
    : inventory_(inventory), power_(power), secctrl_(secctrl), start_(std::chrono::steady_clock::now()) {
    const Json* devices = encharge_devices(inventory_);
    const char* key = devices_key(power_);
    const bool has_power = power_.is_object() && power_.contains(key) && power_[key].is_array();
    if (!animated || !devices || devices->empty() || !has_power) return;
    double unit_sum = 0, inventory_capacity = 0, inventory_energy = 0;
    for (const auto& d : power_[key]) unit_sum += num(d, "real_power_mw") / 1000.0;
    for (const auto& d : *devices) {
        const double cap = num(d, "encharge_capacity");
        inventory_capacity += cap;
        inventory_energy += cap * num(d, "percentFull") / 100.0;
    }
    const Json ct = storage_reading(meters, readings);
    power0_ = ct.is_null() ? unit_sum : num(ct, "activePower");
    capacity_ = num(secctrl_, "Enc_max_available_capacity", num(secctrl_, "Max_energy", inventory_capacity));
    energy0_ = num(secctrl_, "ENC_agg_avail_energy", inventory_energy);
    if (has_num(secctrl_, "Max_energy")) site_capacity_ = num(secctrl_, "Max_energy");
    acb_energy_ = num(secctrl_, "ACB_agg_energy");
    if (capacity_ <= 0) return;
    const auto& listed = power_[key];
    for (const auto& d : listed) {
        Unit u;
        u.soc = num(d, "soc");
        const double p = num(d, "real_power_mw") / 1000.0;
        u.share = unit_sum != 0.0 ? p / unit_sum : 1.0 / static_cast<double>(listed.size());
        units_.push_back(u);
    }
    modelled_ = !units_.empty();
}

double BatteryModel::power_w(TimePoint t) const {
    if (!modelled_ || power0_ == 0.0) return power0_;
    // The battery charges (power < 0) until full, discharges until empty, then rests.
    const double bound = power0_ < 0 ? capacity_ : 0.0;
    const double seconds_to_bound = (bound - energy0_) / (-power0_ / 3600.0);
    const double elapsed = std::chrono::duration<double>(t - start_).count();
    return elapsed < seconds_to_bound ? power0_ : 0.0;
}

double BatteryModel::energy_wh(TimePoint t) const {
    if (!modelled_) return energy0_;
    const double elapsed = std::max(0.0, std::chrono::duration<double>(t - start_).count());
    return std::clamp(energy0_ - power0_ * elapsed / 3600.0, 0.0, capacity_);
}

double BatteryModel::soc_change(TimePoint t) const { return (energy_wh(t) - energy0_) / capacity_ * 100.0; }

Json BatteryModel::inventory(TimePoint t) const {
    Json out = inventory_;
    const double change = soc_change(t);
    if (Json* devices = encharge_devices(out)) {
        for (auto& d : *devices) {
            d["percentFull"] = static_cast<int>(std::lround(std::clamp(num(d, "percentFull") + change, 0.0, 100.0)));
        }
    }
    return out;
}

Json BatteryModel::power(TimePoint t) const {
    Json out = power_;
    const double change = soc_change(t);
    const double watts = power_w(t);
    auto& devices = out[devices_key(power_)];
    for (std::size_t i = 0; i < devices.size() && i < units_.size(); ++i) {
        const auto mw = static_cast<long long>(std::llround(watts * units_[i].share * 1000.0));
        devices[i]["real_power_mw"] = mw;
        if (devices[i].contains("apparent_power_mva")) devices[i]["apparent_power_mva"] = mw;
        devices[i]["soc"] = static_cast<int>(std::lround(std::clamp(units_[i].soc + change, 0.0, 100.0)));
    }
    return out;
}

Json BatteryModel::secctrl(TimePoint t) const {
    Json out = secctrl_;
    if (!out.is_object()) return out;
    const double energy = energy_wh(t);
    out["ENC_agg_avail_energy"] = static_cast<long long>(std::llround(energy));
    out["ENC_agg_soc"] = static_cast<int>(std::lround(energy / capacity_ * 100.0));
    if (site_capacity_ && *site_capacity_ > 0) {
        out["agg_soc"] = static_cast<int>(std::lround((energy + acb_energy_) / *site_capacity_ * 100.0));
    }
    return out;
}

}  // namespace sim
