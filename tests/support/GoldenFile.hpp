// tests/support: the expected figures of a capture (tests/data/envoy/<capture>/golden.json,
// written by tests/data/envoy/make_golden.py from the capture files by the rules of
// docs/gateway-sources.md, independently of the driver) and their comparison with a meters JSON
// as --once prints it and the MQTT meters topic carries it.
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace golden {

using Json = nlohmann::json;

// Every capture folder under tests/data/envoy that has a golden.json, sorted.
std::vector<std::string> captures();
// The capture's golden.json.
Json load(const std::string& capture);
// Whether the capture's /info says token firmware.
bool token_firmware(const std::string& capture);

// "" when the meters JSON (keys pv, grid, consumption) shows the block's figures: each meter
// present exactly when expected, its power, current, voltage, phase count and per-phase values,
// and (with_energy) its energy counters (a null counter must be null); else the first difference.
std::string compare_meters(const Json& published, const Json& block, bool with_energy = true);

// The battery keys of golden.json ("battery": soc, power, capacity, available_energy, count,
// charged, discharged; null or absent when the capture has no batteries).
inline constexpr const char* kBatteryKeys[] = {"soc", "power", "capacity", "available_energy", "count", "charged", "discharged"};
// "" when the battery object (as --once prints it under "battery" and the battery topic carries
// it; null when none was published) shows the expected figures, or is absent when expected is
// null; else the first difference.
std::string compare_battery(const Json& published, const Json& expected);

// Compares one expected number (or null: unknown) with a published one; "" when they agree
// within 0.002 (golden.json keeps 4 decimals, the published JSON 3).
std::string compare_number(const std::string& where, const Json& expected, const Json& actual);

}  // namespace golden
