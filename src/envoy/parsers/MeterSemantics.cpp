// envoy/parsers: phases with data, derived meters, totals, the PV noise clamp, counters and the
// snapshots of the polled sources.
#include "envoy/parsers/MeterSemantics.hpp"

#include <algorithm>

namespace envoy::parse {
namespace {

using model::MeterValues;
using model::PhaseValues;
using model::Value;

Value plus(const Value& a, const Value& b) { return a && b ? Value(*a + *b) : std::nullopt; }
Value minus(const Value& a, const Value& b) { return a && b ? Value(*a - *b) : std::nullopt; }
Value kwh(const Value& wh) { return wh ? Value(*wh / 1000.0) : std::nullopt; }

PhaseValues& phase_at(MeterValues& m, int index) { return m.phases[static_cast<std::size_t>(index)]; }
const PhaseValues& phase_at(const MeterValues& m, int index) { return m.phases[static_cast<std::size_t>(index)]; }

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
    if (index < pv.phase_count) return phase_at(pv, index);
    PhaseValues none;
    none.power = 0.0;
    none.reactive_power = 0.0;
    return none;
}

MeterValues derive(const MeterValues& measured, const MeterValues& pv, bool add_pv) {
    MeterValues out;
    out.present = true;
    out.phase_count = measured.phase_count;
    // PV not measured per phase (the inverters' figure) says nothing of the phases of a
    // multi-phase meter: only the total can be derived there.
    const bool phases_known = pv.per_phase || measured.phase_count <= 1;
    for (int i = 0; i < measured.phase_count; ++i) {
        if (phases_known) {
            phase_at(out, i) = derive_phase(phase_at(measured, i), pv_phase(pv, i), add_pv);
        } else {
            phase_at(out, i).voltage = phase_at(measured, i).voltage;
            phase_at(out, i).frequency = phase_at(measured, i).frequency;
        }
    }
    out.total = derive_phase(measured.total, pv.total, add_pv);
    out.per_phase = phases_known;
    return out;
}

template <class Member>
Value sum(const MeterValues& m, Member member) {
    Value total = 0.0;
    for (int i = 0; i < m.phase_count; ++i) total = plus(total, phase_at(m, i).*member);
    return total;
}

template <class Member>
Value average(const MeterValues& m, Member member) {
    double total = 0;
    int known = 0;
    for (int i = 0; i < m.phase_count; ++i) {
        if (const Value& v = phase_at(m, i).*member) {
            total += *v;
            ++known;
        }
    }
    return known > 0 ? Value(total / known) : std::nullopt;
}

// The gateway's own total when it gave one, else the sum over the phases.
template <class Member>
void keep_or_sum(MeterValues& m, Member member) {
    if (!(m.total.*member)) m.total.*member = sum(m, member);
}

void compute_totals(MeterValues& m) {
    if (!m.present || m.phase_count <= 0) return;
    m.phase_count = std::min(m.phase_count, model::kMaxPhases);
    PhaseValues& t = m.total;
    keep_or_sum(m, &PhaseValues::power);
    keep_or_sum(m, &PhaseValues::current);
    keep_or_sum(m, &PhaseValues::reactive_power);
    keep_or_sum(m, &PhaseValues::apparent_power);
    if (Value voltage = average(m, &PhaseValues::voltage)) t.voltage = voltage;
    if (!t.frequency) t.frequency = average(m, &PhaseValues::frequency);
    if (!t.power_factor && t.power && t.apparent_power && *t.apparent_power > 0) {
        t.power_factor = *t.power / *t.apparent_power;
    }
    keep_or_sum(m, &PhaseValues::wh_today);
    keep_or_sum(m, &PhaseValues::vah_today);
    keep_or_sum(m, &PhaseValues::wh_lifetime);
    keep_or_sum(m, &PhaseValues::vah_lifetime);
    keep_or_sum(m, &PhaseValues::energy_forward);
    keep_or_sum(m, &PhaseValues::energy_reverse);
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
    for (int i = 0; i < common; ++i) copy(phase_at(to, i), phase_at(from, i));
}

void merge_meter(MeterValues& to, const MeterValues& from) { merge_meter(to, from, copy_counters); }

void copy_energy(PhaseValues& to, const PhaseValues& from) {
    if (!to.energy_forward) to.energy_forward = from.energy_forward;
    if (!to.energy_reverse) to.energy_reverse = from.energy_reverse;
}

// The microinverters' figure: one phase carrying the whole power, not measured per phase.
MeterValues inverters_pv(const Value& power, const Value& wh_lifetime) {
    MeterValues pv;
    pv.present = true;
    pv.phase_count = 1;
    pv.per_phase = false;
    PhaseValues& l1 = phase_at(pv, 0);
    l1.power = power;
    l1.wh_lifetime = wh_lifetime;
    l1.energy_forward = kwh(wh_lifetime);
    return pv;
}

model::Snapshot pv_only(const Value& power, const Value& wh_lifetime) {
    model::Snapshot s;
    s.source = model::Source::Inverters;
    s.pv = inverters_pv(power, wh_lifetime);
    return s;
}

bool has_inverters_figure(const model::ProductionSummary& summary) { return summary.inverters_power.has_value(); }

// An eim meter as the production.json source publishes it: without lines its total is its one
// phase; with counters, whLifetime is the meter's lifetime counter.
MeterValues eim_meter(const MeterValues& eim, bool with_counters) {
    MeterValues m = eim;
    if (m.phase_count == 0) {
        m.phase_count = 1;
        m.per_phase = false;  // the total on L1: where the power flows on a multi-phase site is unknown
        phase_at(m, 0) = m.total;
    }
    if (with_counters) {
        m.total.energy_forward = kwh(m.total.wh_lifetime);
        for (int i = 0; i < m.phase_count; ++i) phase_at(m, i).energy_forward = kwh(phase_at(m, i).wh_lifetime);
    }
    return m;
}

}  // namespace

model::MeasurementType measurement_type(std::string_view name) {
    for (std::size_t i = 0; i < kMeasurementNames.size(); ++i) {
        if (name == kMeasurementNames[i]) return static_cast<model::MeasurementType>(i);
    }
    return model::MeasurementType::Other;
}

bool carries_data(const PhaseValues& phase) {
    if (phase.voltage) return *phase.voltage >= kLiveVoltage;
    for (const Value* v : {&phase.power, &phase.current, &phase.reactive_power, &phase.apparent_power}) {
        if (*v && **v != 0.0) return true;
    }
    return false;
}

int phases_with_data(const MeterValues& m, int limit) {
    int count = 1;
    for (int i = 0; i < std::min(limit, model::kMaxPhases); ++i) {
        if (carries_data(phase_at(m, i))) count = i + 1;
    }
    return count;
}

void finish(model::Snapshot& s) {
    // The measured meters' totals first: a derived total comes from them.
    compute_totals(s.pv);
    compute_totals(s.grid);
    compute_totals(s.consumption);
    if (s.pv.present && !s.grid.present && s.consumption.present) {
        s.grid = derive(s.consumption, s.pv, false);
        compute_totals(s.grid);
    } else if (s.pv.present && !s.consumption.present && s.grid.present) {
        s.consumption = derive(s.grid, s.pv, true);
        compute_totals(s.consumption);
    }
    if (s.pv.present) {
        for (int i = 0; i < std::min(s.pv.phase_count, model::kMaxPhases); ++i) clamp_pv(phase_at(s.pv, i));
        clamp_pv(s.pv.total);
    }
    for (MeterValues* other : {&s.storage, &s.backfeed, &s.load, &s.evse, &s.pv3p}) compute_totals(*other);
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

model::Snapshot from_production(const model::ProductionSummary& summary) {
    model::Snapshot s;
    s.source = model::Source::ProductionJson;
    if (summary.production.present) {
        s.pv = eim_meter(summary.production, true);
    } else if (has_inverters_figure(summary)) {
        s.pv = inverters_pv(summary.inverters_power, summary.inverters_wh_lifetime);
    }
    // Net consumption's whLifetime is import minus export: not a counter of either direction.
    if (summary.net_consumption.present) s.grid = eim_meter(summary.net_consumption, false);
    if (summary.total_consumption.present) s.consumption = eim_meter(summary.total_consumption, true);
    finish(s);
    return s;
}

bool add_inverters_pv(model::Snapshot& s, const model::ProductionSummary& summary) {
    if (s.pv.present || !has_inverters_figure(summary)) return false;
    s.pv = inverters_pv(summary.inverters_power, summary.inverters_wh_lifetime);
    finish(s);
    return true;
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

void merge_other_meters(model::Snapshot& s, const model::Snapshot& readings) {
    for (auto member : {&model::Snapshot::storage, &model::Snapshot::backfeed, &model::Snapshot::load,
                        &model::Snapshot::evse, &model::Snapshot::pv3p}) {
        if (!(s.*member).present && (readings.*member).present) s.*member = readings.*member;
    }
}

}  // namespace envoy::parse
