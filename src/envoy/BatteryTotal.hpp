// envoy: the site's storage seen as one battery (pure). The rules, with the captures they come
// from, are in docs/gateway-sources.md, "Batteries":
//  - power: the storage CT's total power negated when the snapshot has the storage CT, else the
//    sum of the IQ Batteries' and the AC Batteries' powers (already Venus's sign); unknown when
//    there is no battery or one of them does not know its power.
//  - soc: secctrl's agg_soc (the site: IQ and AC Batteries), else ENC_agg_soc, else the
//    capacity-weighted average of the IQ Batteries, else (AC Batteries only) percentFull.
//  - capacity_wh: secctrl's Max_energy (the site), else Enc_max_available_capacity, else (IQ
//    Batteries only) the sum of encharge_capacity; AC Batteries report no capacity elsewhere.
//  - available_energy_wh: secctrl's ENC_agg_avail_energy plus the AC Batteries' energy
//    (ACB_agg_energy, else whNow), else soc * capacity, else (AC Batteries only) whNow.
//  - soh: ENC_agg_soh, when there are IQ Batteries; backup_reserve: configured_backup_soc.
//  - temperature: the warmest IQ Battery; max_cell_temperature: the warmest cell any reports. charged / discharged: the storage CT's actEnergyRcvd /
//    actEnergyDlvd (kWh).
//  - count: IQ Batteries + active AC Batteries; online: IQ Batteries communicating + active AC
//    Batteries.
// Whatever the gateway does not say stays unknown, never 0.
#pragma once

#include "model/Battery.hpp"
#include "model/Snapshot.hpp"

namespace envoy {

// storage: the latest snapshot's storage CT (its `present` false when the gateway has none).
model::BatteryTotal battery_total(const model::Batteries& batteries, const model::MeterValues& storage);

}  // namespace envoy
