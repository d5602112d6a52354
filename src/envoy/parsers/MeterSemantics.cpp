// envoy/parsers: derived meters, totals from phases, the PV noise clamp and production counters.
#include "envoy/parsers/MeterSemantics.hpp"

#include <algorithm>

namespace envoy::parse {
namespace {

using model::MeterValues;
using model::PhaseValues;
using model::Value;

Value plus(const Value& a, const Value& b) { return a && b ? Value(*a + *b) : std::nullopt; }
Value minus(const Value& a, const Value& b) { return a && b ? Value(*a - *b) : std::nullopt; }

void clamp_pv(PhaseValues& phase) {
    if (phase.power && *phase.power < kPvNoiseWatts) {
        phase.power = 0.0;
        if (phase.current) phase.current = 0.0;
    }
}

// One phase (or the total) of a derived meter: measured +/- pv.
PhaseValues derive_phase(const PhaseValues& measured, const PhaseValues& pv, bool add_pv) {
    PhaseValues out;
    out.power = add_pv ? plus(measured.power, pv.power) : minus(measured.power, pv.power);
    out.reactive_power =
        add_pv ? plus(measured.reactive_power, pv.reactive_power) : minus(measured.reactive_power, pv.reactive_power);
    out.voltage = measured.voltage;
    out.frequency = measured.frequency;
    return out;
}

// PV contributes 0 W on the phases its meter does not measure.
PhaseValues pv_phase(const MeterValues& pv, int index) {
    if (index < pv.phase_count) return pv.phases[static_cast<std::size_t>(index)];
    PhaseValues none;
    none.power = 0.0;
    none.reactive_power = 0.0;
    return none;
}

MeterValues derive(const MeterValues& measured, const MeterValues& pv, bool add_pv) {
    MeterValues out;
    out.present = true;
    out.phase_count = measured.phase_count;
    for (int i = 0; i < measured.phase_count; ++i) {
        out.phases[static_cast<std::size_t>(i)] =
            derive_phase(measured.phases[static_cast<std::size_t>(i)], pv_phase(pv, i), add_pv);
    }
    if (measured.phase_count == 0) out.total = derive_phase(measured.total, pv.total, add_pv);
    return out;
}

template <class Member>
Value sum(const MeterValues& m, Member member) {
    Value total = 0.0;
    for (int i = 0; i < m.phase_count; ++i) total = plus(total, m.phases[static_cast<std::size_t>(i)].*member);
    return total;
}

template <class Member>
Value average(const MeterValues& m, Member member) {
    double total = 0;
    int known = 0;
    for (int i = 0; i < m.phase_count; ++i) {
        if (const Value& v = m.phases[static_cast<std::size_t>(i)].*member) {
            total += *v;
            ++known;
        }
    }
    return known > 0 ? Value(total / known) : std::nullopt;
}

template <class Member>
void counter_total(MeterValues& m, Member member) {
    if (!(m.total.*member)) m.total.*member = sum(m, member);
}

void compute_totals(MeterValues& m) {
    if (!m.present || m.phase_count <= 0) return;
    m.phase_count = std::min(m.phase_count, model::kMaxPhases);
    PhaseValues& t = m.total;
    t.power = sum(m, &PhaseValues::power);
    t.current = sum(m, &PhaseValues::current);
    t.reactive_power = sum(m, &PhaseValues::reactive_power);
    t.apparent_power = sum(m, &PhaseValues::apparent_power);
    t.voltage = average(m, &PhaseValues::voltage);
    t.frequency = average(m, &PhaseValues::frequency);
    t.power_factor = (t.power && t.apparent_power && *t.apparent_power > 0)
                         ? Value(*t.power / *t.apparent_power)
                         : std::nullopt;
    counter_total(m, &PhaseValues::wh_today);
    counter_total(m, &PhaseValues::vah_today);
    counter_total(m, &PhaseValues::wh_lifetime);
    counter_total(m, &PhaseValues::vah_lifetime);
    counter_total(m, &PhaseValues::energy_forward);
    counter_total(m, &PhaseValues::energy_reverse);
}

void copy_counters(PhaseValues& to, const PhaseValues& from) {
    if (from.wh_today) to.wh_today = from.wh_today;
    if (from.vah_today) to.vah_today = from.vah_today;
    if (from.wh_lifetime) to.wh_lifetime = from.wh_lifetime;
    if (from.vah_lifetime) to.vah_lifetime = from.vah_lifetime;
}

template <class Copy>
void merge_meter(MeterValues& to, const MeterValues& from, Copy copy) {
    if (!to.present || !from.present) return;
    copy(to.total, from.total);
    const int common = std::min({to.phase_count, from.phase_count, model::kMaxPhases});
    for (int i = 0; i < common; ++i) {
        copy(to.phases[static_cast<std::size_t>(i)], from.phases[static_cast<std::size_t>(i)]);
    }
}

void merge_meter(MeterValues& to, const MeterValues& from) { merge_meter(to, from, copy_counters); }

void copy_energy(PhaseValues& to, const PhaseValues& from) {
    if (!to.energy_forward) to.energy_forward = from.energy_forward;
    if (!to.energy_reverse) to.energy_reverse = from.energy_reverse;
}

model::Snapshot pv_only(const Value& power, const Value& wh_lifetime) {
    model::Snapshot s;
    s.source = model::Source::Inverters;
    s.pv.present = true;
    s.pv.phase_count = 1;
    PhaseValues& l1 = s.pv.phases[0];
    l1.power = power;
    l1.wh_lifetime = wh_lifetime;
    if (wh_lifetime) l1.energy_forward = *wh_lifetime / 1000.0;
    return s;
}

}  // namespace

model::MeasurementType measurement_type(std::string_view name) {
    for (std::size_t i = 0; i < kMeasurementNames.size(); ++i) {
        if (name == kMeasurementNames[i]) return static_cast<model::MeasurementType>(i);
    }
    return model::MeasurementType::Other;
}

void finish(model::Snapshot& s) {
    if (s.pv.present) {
        for (int i = 0; i < std::min(s.pv.phase_count, model::kMaxPhases); ++i) {
            clamp_pv(s.pv.phases[static_cast<std::size_t>(i)]);
        }
    }
    if (s.pv.present && !s.grid.present && s.consumption.present) {
        s.grid = derive(s.consumption, s.pv, false);
    } else if (s.pv.present && !s.consumption.present && s.grid.present) {
        s.consumption = derive(s.grid, s.pv, true);
    }
    compute_totals(s.pv);
    compute_totals(s.grid);
    compute_totals(s.consumption);
    if (s.pv.present) clamp_pv(s.pv.total);
}

model::Snapshot from_inverters(const model::InverterProduction& production) {
    model::Snapshot s = pv_only(production.watts_now, production.wh_lifetime);
    s.pv.phases[0].wh_today = production.wh_today;
    finish(s);
    return s;
}

model::Snapshot from_inverters(const model::ProductionSummary& summary) {
    model::Snapshot s = pv_only(summary.inverters_power, summary.inverters_wh_lifetime);
    finish(s);
    return s;
}

void merge_production_counters(model::Snapshot& s, const model::ProductionSummary& p) {
    merge_meter(s.pv, p.production);
    merge_meter(s.grid, p.net_consumption);
    merge_meter(s.consumption, p.total_consumption);
}

void merge_energy_counters(model::Snapshot& s, const model::Snapshot& counters) {
    merge_meter(s.pv, counters.pv, copy_energy);
    merge_meter(s.grid, counters.grid, copy_energy);
    merge_meter(s.consumption, counters.consumption, copy_energy);
}

}  // namespace envoy::parse
