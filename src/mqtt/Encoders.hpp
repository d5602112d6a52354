// mqtt: pure encoders from model values to the JSON payloads of the published topics.
//
// The shapes are the public contract of the upstream driver (docs: mqtt-json reference),
// misspellings included ("power_appearent", "relais"). Keys come out in a fixed order
// (nlohmann::ordered_json; the meters text, encoded up to once a second, is written directly in
// the same order and form). A value the model does not know is JSON null; the key is still
// there. Numbers are rounded to 3 decimals so no 230.10000000000002 artifacts appear.
// Total "voltage" is the model's total, i.e. the average of the phases (upstream summed the
// phase voltages; that oddity is deliberately not reproduced).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "model/Devices.hpp"
#include "model/Production.hpp"
#include "model/Snapshot.hpp"

namespace mqtt {

// Seconds after which an inverter's last report no longer counts as current production.
inline constexpr std::int64_t kInverterReportMaxAge = 1200;
// How many events the events topic carries (the ones with the highest ids).
inline constexpr std::size_t kMaxEvents = 10;

// {"pv": M, "grid": M, "consumption": M}, only the meters that are present.
std::string encode_meters(const model::Snapshot& snapshot);
// {"inverters": {SERIAL: D}, "batteries": {SERIAL: D}, "relais": {SERIAL: D + relay, reason}}.
std::string encode_devices(const model::Devices& devices);
// {SERIAL: {"lastReportDate", "lastReportWatts", "currentWatts"}}; currentWatts is 0 when the
// last report is more than kInverterReportMaxAge seconds older than reference_epoch (the newest
// report's time: the gateway's clock, not the GX device's).
std::string encode_inverters(const model::InverterReports& reports, std::int64_t reference_epoch);
// {ID: {"message", "serialNumber", "type", "datetime"}}: the kMaxEvents latest (highest ids),
// in ascending id order.
std::string encode_events(const model::Events& events);

}  // namespace mqtt
