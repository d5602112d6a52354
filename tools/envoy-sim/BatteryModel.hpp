// envoy-sim: the capture's IQ Batteries as one modelled battery. Its power (the gateway's sign:
// positive = discharging) is the capture's storage CT power, or without one the sum of the
// batteries' real_power_mw, held constant until the battery is full or empty (then 0 W). The
// stored energy starts at secctrl's ENC_agg_avail_energy (else the inventory's percentFull
// times capacity) and integrates that power; /ivp/ensemble/inventory (percentFull),
// /ivp/ensemble/power (real_power_mw, soc) and /ivp/ensemble/secctrl (ENC_agg_soc, agg_soc,
// ENC_agg_avail_energy) are the capture's answers with these figures. The storage CT follows the
// same power (MeterModel asks power_w), so its counters advance with the energy. AC Batteries
// (production.json) are served as captured. Immutable after construction: thread-safe.
#pragma once

#include <nlohmann/json.hpp>

#include <chrono>
#include <optional>
#include <vector>

namespace sim {

class BatteryModel {
public:
    using TimePoint = std::chrono::steady_clock::time_point;

    // The capture's /ivp/ensemble/inventory, /power and /secctrl, /ivp/meters and
    // /ivp/meters/readings (any may be null). animated false: the capture's answers unchanged.
    BatteryModel(const nlohmann::ordered_json& inventory, const nlohmann::ordered_json& power,
                 const nlohmann::ordered_json& secctrl, const nlohmann::ordered_json& meters,
                 const nlohmann::ordered_json& readings, bool animated);

    // Whether the answers are modelled: animated, IQ Batteries in the capture and a capacity.
    bool modelled() const { return modelled_; }
    // The battery power at t, W, positive = discharging.
    double power_w(TimePoint t) const;
    // The energy stored at t, Wh.
    double energy_wh(TimePoint t) const;

    // The answers at t (only when modelled()).
    nlohmann::ordered_json inventory(TimePoint t) const;
    nlohmann::ordered_json power(TimePoint t) const;
    nlohmann::ordered_json secctrl(TimePoint t) const;

private:
    struct Unit {
        double soc = 0;     // % at the start
        double share = 0;   // of the battery power
    };
    double soc_change(TimePoint t) const;  // percentage points since the start

    nlohmann::ordered_json inventory_, power_, secctrl_;
    std::vector<Unit> units_;
    bool modelled_ = false;
    TimePoint start_;
    double power0_ = 0;         // W, positive = discharging
    double energy0_ = 0;        // Wh
    double capacity_ = 0;       // Wh
    std::optional<double> site_capacity_;  // Max_energy (IQ and AC Batteries)
    double acb_energy_ = 0;     // ACB_agg_energy
};

}  // namespace sim
