// tests/integration/mqtt_daemon: the payloads the daemon must publish for a capture served by
// `envoy-sim --static` with an owner token (the meter readings source), computed here from the
// capture files alone, independently of the daemon's parsers and encoders; the meters' figures
// come from the capture's golden.json.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace mqttdaemon {

using Json = nlohmann::ordered_json;

// The capture's /api/v1/production/inverters.
Json capture_inverters(const std::string& capture);
std::vector<std::string> inverter_serials(const std::string& capture);

// "" when the meters payload has upstream's keys in upstream's order: per meter L1..Ln, then
// the totals (grid with energy_reverse); else what differs. The values are golden.json's business.
std::string meters_shape(const Json& meters);
// The devices topic for the simulator's inventory, generated from the capture's inverters.
Json expected_devices(const std::string& capture);
// The newest lastReportDate of the capture's inverters: the time the daemon judges reports by.
std::int64_t newest_report_date(const std::string& capture);
// The inverters topic at now_epoch (currentWatts 0 for reports older than 1200 s).
Json expected_inverters(const std::string& capture, std::int64_t now_epoch);
// Inverters whose last report is at most 1200 s old at now_epoch, and those of them producing.
int reporting_inverters(const std::string& capture, std::int64_t now_epoch);
int producing_inverters(const std::string& capture, std::int64_t now_epoch);

// Empty when actual has exactly expected's keys in the same order and equal values (numbers
// within tolerance); else the path of the first difference and what differs.
std::string difference(const Json& actual, const Json& expected, double tolerance = 2e-3, const std::string& path = "");

}  // namespace mqttdaemon
