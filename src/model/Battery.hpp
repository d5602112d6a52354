// model: the Enphase storage the gateway reports: IQ Batteries (Encharge: /ivp/ensemble/inventory,
// /ivp/ensemble/power, /ivp/ensemble/secctrl), AC Batteries (production.json's storage entry of
// type "acb") and the storage CT. Powers here are as Venus counts them: positive = charging.
// (The gateway's own sign is the other way round: see docs/gateway-sources.md, "Batteries".)
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "model/Snapshot.hpp"

namespace model {

// One IQ Battery (Encharge) of the inventory, with its power from /ivp/ensemble/power.
struct BatteryUnit {
    std::string serial;
    Value soc;                        // %, percentFull (inventory) or soc (power)
    Value capacity_wh;                // encharge_capacity
    Value temperature;                // °C
    Value max_cell_temperature;       // °C
    Value power;                      // W, positive = charging (real_power_mw / -1000)
    std::optional<bool> communicating;
    std::optional<bool> dc_switch_off;
    std::string state;                // admin_state_str, e.g. "ENCHG_STATE_READY"
    bool operator==(const BatteryUnit&) const = default;
};

// /ivp/ensemble/secctrl: the IQ Batteries' aggregate.
struct BatteryAggregate {
    Value soc;                        // %, ENC_agg_soc (agg_soc when absent)
    Value soh;                        // %, ENC_agg_soh
    Value available_energy_wh;        // ENC_agg_avail_energy
    Value max_energy_wh;              // Enc_max_available_capacity (Max_energy when absent)
    Value commissioned_capacity_wh;   // Enc_commissioned_capacity
    Value backup_reserve;             // %, configured_backup_soc
    // The site's storage as a whole (IQ Batteries and AC Batteries): the 8.2.4382_ACB capture has
    // agg_soc 39 = (ENC_agg_avail_energy 1890 + ACB_agg_energy 930) / Max_energy 7220.
    Value site_soc;                   // %, agg_soc
    Value site_max_energy_wh;         // Max_energy
    Value acb_soc;                    // %, ACB_agg_soc
    Value acb_energy_wh;              // ACB_agg_energy
    bool operator==(const BatteryAggregate&) const = default;
};

// production.json's storage entry of type "acb" (AC Batteries).
struct AcBattery {
    Value power;                      // W, positive = charging (wNow negated)
    Value energy_wh;                  // whNow: energy stored now
    Value soc;                        // %, percentFull
    int active_count = 0;             // activeCount
    std::string state;                // "idle", "charging", "discharging"
    bool operator==(const AcBattery&) const = default;
};

// Everything the gateway's battery endpoints said, as of their latest reads (envoy::BatteryReader).
struct Batteries {
    std::vector<BatteryUnit> units;             // IQ Batteries: /ivp/ensemble/inventory + /power
    std::optional<BatteryAggregate> aggregate;  // /ivp/ensemble/secctrl
    std::optional<AcBattery> acb;               // production.json's storage entry of type "acb"
    // Whether the gateway reports any battery: IQ Batteries in the inventory or power, or active
    // AC Batteries. A gateway without (its secctrl may still answer, with zeros) has no battery.
    bool present() const { return !units.empty() || acb.has_value(); }
    bool operator==(const Batteries&) const = default;
};

// The site's storage seen as one battery: what the MQTT battery object, `--once` and the D-Bus
// battery service show. Built by one rule (envoy::battery_total) from Batteries and, where the
// gateway has one, the storage CT of the latest snapshot.
struct BatteryTotal {
    Value soc;                  // %
    Value soh;                  // %
    Value power;                // W, positive = charging (Venus's sign)
    Value capacity_wh;          // Wh the batteries hold when full
    Value available_energy_wh;  // Wh stored now
    Value backup_reserve;       // %
    Value temperature;          // °C, the warmest battery
    Value max_cell_temperature; // °C, the warmest cell any battery reports
    Value charged_kwh;          // kWh, the storage CT's actEnergyRcvd
    Value discharged_kwh;       // kWh, the storage CT's actEnergyDlvd
    int count = 0;              // batteries (IQ Batteries + AC Batteries)
    int online = 0;             // of them communicating
    bool operator==(const BatteryTotal&) const = default;
};

}  // namespace model
