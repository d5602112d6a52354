// mqtt: the battery object: what the battery topic (topic_battery) carries and what `--once`
// prints under "battery". A pure function of model::BatteryTotal (the site's storage as one
// battery) and model::Batteries (what the gateway's battery endpoints said).
//
// Shape (docs/configuration.md, "The battery topic"), keys in this order, a value the model
// does not know is null (the key is still there), numbers rounded to 3 decimals:
//   {"soc": %, "soh": %, "power": W (positive = charging, as Venus counts),
//    "capacity": Wh, "available_energy": Wh, "backup_reserve": %, "temperature": °C,
//    "count": n, "online": n, "charged": kWh, "discharged": kWh,
//    "batteries": [{"serial", "soc", "power", "capacity", "temperature", "communicating",
//                   "state"}, ...],
//    "acb": {"power", "available_energy", "soc", "count", "state"}}   (only with AC Batteries)
// Text the gateway sent (serials, states) that is not valid UTF-8 has the bad bytes replaced.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "model/Battery.hpp"

namespace mqtt {

// The battery object as JSON, for embedding (`--once`).
nlohmann::ordered_json battery_json(const model::BatteryTotal& total, const model::Batteries& batteries);
// The battery object as the topic's payload.
std::string encode_battery(const model::BatteryTotal& total, const model::Batteries& batteries);

}  // namespace mqtt
