// model: plain values shared by the gateway side and the sinks (D-Bus, MQTT, energy).
//
// Nothing here does I/O or knows where a value came from beyond the Source tag. An unknown
// value is an empty std::optional, never 0: sinks publish it as invalid.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

namespace model {

using Value = std::optional<double>;

// Everything known about one phase (or the total) of one meter.
struct PhaseValues {
    Value power;           // W, active power
    Value current;         // A
    Value voltage;         // V
    Value reactive_power;  // var
    Value apparent_power;  // VA
    Value power_factor;    // -1..1
    Value frequency;       // Hz
    Value wh_today;        // Wh, from /production.json
    Value vah_today;       // VAh, from /production.json
    Value wh_lifetime;     // Wh, from /production.json
    Value vah_lifetime;    // VAh, from /production.json
    Value energy_forward;  // kWh, the meter's own delivered counter (actEnergyDlvd)
    Value energy_reverse;  // kWh, the meter's own received counter (actEnergyRcvd)

    bool operator==(const PhaseValues&) const = default;
};

inline constexpr int kMaxPhases = 3;

// One measured quantity: PV production, the grid connection, the household load or one of the
// other CTs (storage, backfeed, ...).
struct MeterValues {
    bool present = false;   // false: the gateway does not measure this (no CT, CT disabled)
    int phase_count = 0;    // 1..3 when present; phases[phase_count..] are unused
    bool per_phase = true;  // false: not measured per phase (the inverters' figure, all on L1)
    std::array<PhaseValues, kMaxPhases> phases{};
    PhaseValues total{};    // the meter's own total where the gateway gives one, else the sum
                            // over the phases; voltage: the average of the phases

    bool operator==(const MeterValues&) const = default;
};

// Where a snapshot's power values came from, best first.
enum class Source : std::uint8_t {
    None,
    Stream,     // /stream/meter (Server-Sent Events, about 1/s)
    Readings,   // /ivp/meters/readings polling
    ProductionJson,  // /production.json polling: its eim (CT) entries, where /ivp/meters is missing
    Inverters,  // microinverter reports (/api/v1/production or /production.json), no phases
};

std::string_view to_string(Source source);

// One complete, consistent set of values as of one moment.
struct Snapshot {
    MeterValues pv;
    MeterValues grid;         // net consumption: positive import, negative export
    MeterValues consumption;  // total household consumption
    // The other CTs of /ivp/meters, present when enabled, from /ivp/meters/readings only (the
    // stream has no such keys; a stream sample carries those of the latest fresh readings). Their
    // values are the meter's own, in the gateway's sign: storage power is negative while the
    // batteries charge, energy_forward (actEnergyDlvd) is what the batteries discharged and
    // energy_reverse (actEnergyRcvd) what they charged, kWh. finish() only completes their totals.
    MeterValues storage;      // the batteries (IQ Batteries, AC Batteries)
    MeterValues backfeed;     // a generator or second PV system behind the Collar / Combostation
    MeterValues load;         // a load CT (Collar / Combostation)
    MeterValues evse;         // an EV charger CT
    MeterValues pv3p;         // three-phase PV CT
    Source source = Source::None;

    bool operator==(const Snapshot&) const = default;
};

}  // namespace model
