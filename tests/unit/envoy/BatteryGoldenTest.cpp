// tests/unit/envoy: every capture with batteries, its battery endpoints read through the pure
// parsers and envoy::battery_total, against the "battery" object of its golden.json (written by
// tests/data/envoy/make_golden.py from the gateway's own aggregate figures, not by the driver).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <optional>
#include <string>

#include "GoldenFile.hpp"
#include "Process.hpp"
#include "envoy/BatteryTotal.hpp"
#include "envoy/parsers/Ensemble.hpp"
#include "envoy/parsers/Parsers.hpp"

namespace {

using golden::Json;

// The capture's answer to an endpoint when the gateway answered 200 (the simulator's rule:
// NAME_log.json holds the status, a missing file is a 404).
std::optional<std::string> answer(const std::string& folder, const std::string& file) {
    const std::string path = testsupport::test_data("envoy/" + folder + "/" + file);
    if (!std::filesystem::exists(path)) return std::nullopt;
    if (std::filesystem::exists(path + "_log.json")) {
        const auto log = Json::parse(testsupport::read_file(path + "_log.json"));
        if (log.value("code", 200) != 200) return std::nullopt;
    }
    return testsupport::read_file(path);
}

// What BatteryReader would merge from the capture, and the storage CT of its readings.
model::BatteryTotal total_of(const std::string& folder) {
    model::Batteries batteries;
    if (auto body = answer(folder, "ivp_ensemble_inventory")) batteries.units = envoy::parse::ensemble_inventory(*body);
    if (auto body = answer(folder, "ivp_ensemble_power")) envoy::parse::ensemble_power(*body, batteries.units);
    if (auto body = answer(folder, "ivp_ensemble_secctrl")) batteries.aggregate = envoy::parse::ensemble_secctrl(*body);
    if (auto body = answer(folder, "production.json")) batteries.acb = envoy::parse::ac_battery(*body);
    model::MeterValues storage;
    const auto meters = answer(folder, "ivp_meters");
    const auto readings = answer(folder, "ivp_meters_readings");
    if (meters && readings) storage = envoy::parse::readings(*readings, envoy::parse::meters(*meters)).storage;
    return envoy::battery_total(batteries, storage);
}

Json number(const model::Value& v) { return v ? Json(*v) : Json(); }

std::vector<std::string> battery_captures() {
    std::vector<std::string> out;
    for (const auto& folder : golden::captures()) {
        if (golden::load(folder).contains("battery")) out.push_back(folder);
    }
    return out;
}

class GoldenBattery : public ::testing::TestWithParam<std::string> {};

TEST_P(GoldenBattery, TotalHasTheGoldenFigures) {
    const Json expected = golden::load(GetParam())["battery"];
    const model::BatteryTotal t = total_of(GetParam());
    const std::pair<const char*, model::Value> figures[] = {
        {"soc", t.soc},         {"power", t.power},     {"capacity", t.capacity_wh}, {"available_energy", t.available_energy_wh},
        {"charged", t.charged_kwh}, {"discharged", t.discharged_kwh}};
    for (const auto& [key, value] : figures) {
        EXPECT_EQ(golden::compare_number(key, expected[key], number(value)), "");
    }
    EXPECT_EQ(t.count, expected["count"].get<int>());
}

TEST(GoldenBatteryCaptures, TheBatteryCapturesHaveABatteryObject) {
    const auto found = battery_captures();
    for (const char* folder : {"7.6.185_with_cts_and_battery_3t", "8.2.4286_with_3cts_and_battery_split",
                               "8.3.1598_collar", "8.2.4382_ACB", "8.3.5169_ACB_inventory"}) {
        EXPECT_NE(std::find(found.begin(), found.end(), folder), found.end()) << folder;
    }
}

INSTANTIATE_TEST_SUITE_P(EveryBatteryCapture, GoldenBattery, ::testing::ValuesIn(battery_captures()),
                         [](const auto& info) {
                             std::string name = info.param;
                             for (char& c : name) {
                                 if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
                             }
                             return name;
                         });

}  // namespace
