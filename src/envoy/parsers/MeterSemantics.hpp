// envoy/parsers: what the meter numbers mean: derived meters, totals, PV noise clamp, counters.
//
// finish(s) is applied by readings() and stream_event(); the sources and others may call these
// functions too. All are pure.
#pragma once

#include <array>
#include <string_view>

#include "model/Gateway.hpp"
#include "model/Production.hpp"
#include "model/Snapshot.hpp"

namespace envoy::parse {

// The gateway's names of its meters (measurementType in /ivp/meters and /production.json, the keys
// of a /stream/meter event), indexed by model::MeasurementType.
inline constexpr std::array<std::string_view, 3> kMeasurementNames = {"production", "net-consumption",
                                                                      "total-consumption"};
// The meter a name stands for; Other for any other name.
model::MeasurementType measurement_type(std::string_view name);

// PV power below this (W) is the production meter's own noise: published as 0.
inline constexpr double kPvNoiseWatts = 5.0;

// Completes a snapshot whose phases are filled in, in this order:
//  1. PV clamp per phase: a PV phase with power below 5 W gets power 0 and current 0.
//  2. Derivation: grid absent but consumption and pv present -> grid = consumption - pv; or
//     consumption absent but grid and pv present -> consumption = pv + grid. Per phase (the
//     derived meter takes the phase count of the measured consumption-side meter; PV phases
//     beyond PV's own phase count count as 0 W). Only power and reactive power are derived
//     (when both inputs are known): RMS current and apparent power cannot be added or
//     subtracted without phase angles, so they stay unknown, as do the energy counters.
//     Voltage and frequency are copied from the measured consumption-side meter.
//  3. Totals of every present meter with phase_count > 0: power, current, reactive and
//     apparent power are the sum over the phases (unknown if any phase is unknown); voltage
//     and frequency the average over the phases that know them; power factor = total power /
//     total apparent power when apparent > 0, else unknown; energy counters keep a total
//     already set, else the sum over the phases if every phase knows it. A meter with
//     phase_count 0 keeps the total it has.
//  4. PV clamp of the total: total power below 5 W -> total power 0 and total current 0.
// Unknown values stay unknown; absent meters are not touched (except when derived).
void finish(model::Snapshot& s);

// PV only, from the microinverters' reports: source Inverters, one phase carrying the whole
// power, energy_forward = lifetime Wh / 1000. finish() is applied.
model::Snapshot from_inverters(const model::InverterProduction& production);
model::Snapshot from_inverters(const model::ProductionSummary& summary);

// Copies wh_today, vah_today, wh_lifetime and vah_lifetime (when known) of the summary's present
// eim meters into the matching present meters of s (production -> pv, net-consumption -> grid,
// total-consumption -> consumption): the totals, and the phases whose index both have.
// Everything else in s is left untouched.
void merge_production_counters(model::Snapshot& s, const model::ProductionSummary& p);

// Copies the meters' own energy counters (energy_forward, energy_reverse) of counters (a
// readings snapshot) into s where s does not know them: the stream carries no counters.
void merge_energy_counters(model::Snapshot& s, const model::Snapshot& counters);

}  // namespace envoy::parse
