// envoy/parsers: /ivp/meters (meter configuration) and /ivp/meters/readings (polled CT values).
#pragma once

#include <string_view>

#include "model/Gateway.hpp"
#include "model/Snapshot.hpp"

namespace envoy::parse {

// /ivp/meters: one MeterConfig per array element. phase_count comes from phaseCount (1..3),
// else from phaseMode ("three" 3, "split" 2, "single" 1), else 1. Measurement types the driver
// does not know are kept as MeasurementType::Other. Throws ParseError on a body that
// is not an array of objects or on a meter without eid.
model::MeterConfigs meters(std::string_view json);

// /ivp/meters/readings -> Snapshot (source Readings), finish() applied. Each reading is matched
// to its meter by eid; readings of disabled meters, of eids not in config and of Other types
// are ignored; storage, backfeed, load, evse and pv3p CTs go to the snapshot's members of those
// names. Phases come from channels[0..phase_count-1]; a reading without channels is taken
// as one phase. Energy totals come from the reading's own actEnergyDlvd/actEnergyRcvd (kWh).
model::Snapshot readings(std::string_view json, const model::MeterConfigs& config);

}  // namespace envoy::parse
