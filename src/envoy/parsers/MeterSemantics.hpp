// envoy/parsers: what the meter numbers mean: which phases exist, derived meters, totals, the
// PV noise clamp, counters, and the snapshot of each polled source. The rules are those of
// docs/gateway-sources.md.
//
// finish(s) is applied by readings(), stream_event() and the from_* functions; the client may
// call it again after adding a meter (it is idempotent). All functions are pure.
#pragma once

#include <array>
#include <string_view>

#include "model/Gateway.hpp"
#include "model/Production.hpp"
#include "model/Snapshot.hpp"

namespace envoy::parse {

// The gateway's names of its meters (measurementType in /ivp/meters and /production.json; the
// first three are also the keys of a /stream/meter event), indexed by model::MeasurementType.
inline constexpr std::array<std::string_view, 8> kMeasurementNames = {
    "production", "net-consumption", "total-consumption", "storage", "backfeed", "load", "evse", "pv3p"};
// The keys of a /stream/meter event: the first kStreamMeters names.
inline constexpr std::size_t kStreamMeters = 3;
// The meter a name stands for; Other for any other name.
model::MeasurementType measurement_type(std::string_view name);

// PV power below this (W) is the production meter's own noise: published as 0.
inline constexpr double kPvNoiseWatts = 5.0;
// A phase whose RMS voltage is below this (V) is not wired: the gateway lists three phases
// (channels, lines, ph-a..ph-c) whatever the site has, the unused ones at or near 0 V.
inline constexpr double kLiveVoltage = 50.0;

// Whether a phase's values are those of a wired phase: its voltage is at least kLiveVoltage or,
// where no voltage is given, some value is known and not zero.
bool carries_data(const model::PhaseValues& phase);
// The number of phases of m to publish: the position of the last of phases[0..limit) that
// carries data (a dead phase between live ones still counts), at least 1.
int phases_with_data(const model::MeterValues& m, int limit);

// Completes a snapshot whose phases (and, where the gateway gives them, totals) are filled in:
//  1. Derivation: grid absent but consumption and pv present -> grid = consumption - pv; or
//     consumption absent but grid and pv present -> consumption = pv + grid. Per phase (the
//     derived meter takes the phase count of the measured consumption-side meter; PV phases
//     beyond PV's own phase count count as 0 W) and for the total (from the two totals when
//     both are known, else from the derived phases). The measured PV is used, before the
//     noise clamp, as the gateway's own total-consumption does. Only power and reactive power
//     are derived: RMS current and apparent power cannot be added or subtracted without phase
//     angles, so they stay unknown, as do the energy counters. Voltage and frequency are copied
//     from the measured consumption-side meter.
//  2. Totals of every present meter with phase_count > 0. A total the gateway gave is kept
//     (the meter's own total is not always the sum of its phases: split-phase meters); the
//     rest come from the phases: power, current, reactive and apparent power as the sum (unknown
//     if any phase is unknown), frequency as the average of the phases that know it, power
//     factor = power / apparent power when apparent > 0, counters as the sum when every phase
//     knows them. The total voltage is always the average of the phases that know it.
//  3. PV clamp: each PV phase and the PV total with power below 5 W get power 0 and current 0.
//  4. Totals of the other CTs (storage, backfeed, load, evse, pv3p) as in 2; nothing is derived
//     from or clamped in them.
// Unknown values stay unknown; absent meters are not touched (except when derived).
void finish(model::Snapshot& s);

// PV only, from the microinverters' reports: source Inverters, one phase carrying the whole
// power, energy_forward = lifetime Wh / 1000. finish() is applied.
model::Snapshot from_inverters(const model::InverterProduction& production);
model::Snapshot from_inverters(const model::ProductionSummary& summary);

// The snapshot of the production.json source (gateways whose CTs /production.json reports but
// /ivp/meters does not): source ProductionJson; pv, grid and consumption from the active eim
// meters (with their lines as phases), energy_forward of pv and consumption = their whLifetime
// (the meter's lifetime counter) / 1000; pv from the inverters entry when no production CT is
// active. finish() is applied.
model::Snapshot from_production(const model::ProductionSummary& summary);

// Fills in PV from the inverters' figure of the summary when s has no PV (a gateway whose
// consumption CT is active and whose production CT is not), then finishes s again. Returns
// false, leaving s as it is, when s has PV or the summary has no inverters figure.
bool add_inverters_pv(model::Snapshot& s, const model::ProductionSummary& summary);

// Copies wh_today, vah_today, wh_lifetime and vah_lifetime (when known) of the summary's present
// eim meters into the matching present meters of s (production -> pv, net-consumption -> grid,
// total-consumption -> consumption): the totals, and the phases whose index both have.
// Everything else in s is left untouched.
void merge_production_counters(model::Snapshot& s, const model::ProductionSummary& p);

// Copies the meters' own energy counters (energy_forward, energy_reverse) of counters (a
// readings snapshot) into s where s does not know them: the stream carries no counters.
void merge_energy_counters(model::Snapshot& s, const model::Snapshot& counters);

// Copies the other CTs (storage, backfeed, load, evse, pv3p) of readings whole into s where s
// has none of its own: the stream carries none of them.
void merge_other_meters(model::Snapshot& s, const model::Snapshot& readings);

}  // namespace envoy::parse
