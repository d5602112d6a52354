// envoy: battery_total implementation.
#include "envoy/BatteryTotal.hpp"

#include <algorithm>
#include <cmath>

namespace envoy {
namespace {

using model::Value;

Value negated(const Value& v) { return v ? Value(-*v + 0.0) : std::nullopt; }  // + 0.0: no "-0"

Value units_power(const model::Batteries& b) {
    if (!b.present()) return std::nullopt;
    double sum = 0;
    for (const auto& unit : b.units) {
        if (!unit.power) return std::nullopt;
        sum += *unit.power;
    }
    if (b.acb) {
        if (!b.acb->power) return std::nullopt;
        sum += *b.acb->power;
    }
    return sum;
}

// The IQ Batteries' capacity (all known) and their capacity-weighted SOC.
Value units_capacity(const model::Batteries& b) {
    if (b.units.empty()) return std::nullopt;
    double sum = 0;
    for (const auto& unit : b.units) {
        if (!unit.capacity_wh) return std::nullopt;
        sum += *unit.capacity_wh;
    }
    return sum;
}

Value units_soc(const model::Batteries& b) {
    const Value capacity = units_capacity(b);
    if (!capacity || *capacity <= 0) return std::nullopt;
    double weighted = 0;
    for (const auto& unit : b.units) {
        if (!unit.soc) return std::nullopt;
        weighted += *unit.soc * *unit.capacity_wh;
    }
    return weighted / *capacity;
}

Value first_of(std::initializer_list<Value> values) {
    for (const Value& v : values) {
        if (v) return v;
    }
    return std::nullopt;
}

Value site_soc(const model::Batteries& b) {
    if (b.aggregate) {
        if (Value soc = first_of({b.aggregate->site_soc, b.aggregate->soc})) return soc;
    }
    if (b.acb && b.units.empty()) return b.acb->soc;
    if (!b.acb) return units_soc(b);
    return std::nullopt;  // both kinds, no aggregate: the AC Batteries' capacity is unknown
}

Value site_capacity(const model::Batteries& b) {
    if (b.aggregate) {
        if (Value wh = first_of({b.aggregate->site_max_energy_wh, b.aggregate->max_energy_wh})) return wh;
    }
    return b.acb ? std::nullopt : units_capacity(b);
}

Value acb_energy(const model::Batteries& b) {
    if (!b.acb) return 0.0;
    if (b.aggregate && b.aggregate->acb_energy_wh) return b.aggregate->acb_energy_wh;
    return b.acb->energy_wh;
}

Value available_energy(const model::Batteries& b, const Value& soc, const Value& capacity) {
    if (b.aggregate && b.aggregate->available_energy_wh) {
        const Value acb = acb_energy(b);
        if (acb) return *b.aggregate->available_energy_wh + *acb;
    }
    if (soc && capacity) return *soc * *capacity / 100.0;
    if (b.acb && b.units.empty()) return b.acb->energy_wh;
    return std::nullopt;
}

Value warmest(const model::Batteries& b, model::Value model::BatteryUnit::*temperature) {
    Value hottest;
    for (const auto& unit : b.units) {
        const Value& t = unit.*temperature;
        if (t && std::isfinite(*t) && (!hottest || *t > *hottest)) hottest = t;
    }
    return hottest;
}

}  // namespace

model::BatteryTotal battery_total(const model::Batteries& batteries, const model::MeterValues& storage) {
    model::BatteryTotal t;
    const bool has_ct = storage.present && storage.total.power.has_value();
    t.power = has_ct ? negated(storage.total.power) : units_power(batteries);
    if (storage.present) {
        t.charged_kwh = storage.total.energy_reverse;
        t.discharged_kwh = storage.total.energy_forward;
    }
    t.soc = site_soc(batteries);
    t.capacity_wh = site_capacity(batteries);
    t.available_energy_wh = available_energy(batteries, t.soc, t.capacity_wh);
    if (batteries.aggregate) {
        if (!batteries.units.empty()) t.soh = batteries.aggregate->soh;
        t.backup_reserve = batteries.aggregate->backup_reserve;
    }
    t.temperature = warmest(batteries, &model::BatteryUnit::temperature);
    t.max_cell_temperature = warmest(batteries, &model::BatteryUnit::max_cell_temperature);
    t.count = static_cast<int>(batteries.units.size());
    t.online = static_cast<int>(std::count_if(batteries.units.begin(), batteries.units.end(),
                                              [](const auto& unit) { return unit.communicating.value_or(false); }));
    if (batteries.acb) {
        t.count += batteries.acb->active_count;
        t.online += batteries.acb->active_count;
    }
    return t;
}

}  // namespace envoy
