// tests/support: golden.json loading and the meters JSON comparison.
#include "GoldenFile.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>

#include "Process.hpp"

namespace golden {
namespace {

constexpr double kTolerance = 0.002;
const char* const kMeters[] = {"pv", "grid", "consumption"};
const char* const kValues[] = {"power", "current", "voltage"};

std::string compare_meter(const std::string& name, const Json& published, const Json& expected, bool with_energy) {
    for (const char* key : kValues) {
        if (!expected.contains(key)) continue;  // the streamed block has no currents
        if (auto d = compare_number(name + "." + key, expected[key], published.value(key, Json())); !d.empty()) return d;
    }
    for (const char* key : {"energy_forward", "energy_reverse"}) {
        if (!with_energy || !expected.contains(key)) continue;
        if (auto d = compare_number(name + "." + key, expected[key], published.value(key, Json())); !d.empty()) return d;
    }
    const Json& phases = expected["phases"];
    for (std::size_t i = 0; i < 3; ++i) {
        std::string line = "L" + std::to_string(i + 1);
        if (i >= phases.size()) {
            if (published.contains(line)) return name + "." + line + ": not a phase of this meter, but published";
            continue;
        }
        if (!published.contains(line)) return name + "." + line + ": missing";
        for (const char* key : kValues) {
            if (!phases[i].contains(key)) continue;
            if (auto d = compare_number(name + "." + line + "." + key, phases[i][key], published[line].value(key, Json()));
                !d.empty()) {
                return d;
            }
        }
    }
    return "";
}

}  // namespace

std::string compare_number(const std::string& where, const Json& expected, const Json& actual) {
    if (expected.is_null()) {
        if (actual.is_null()) return "";
        return where + ": expected unknown, published " + actual.dump();
    }
    if (!actual.is_number() || std::abs(actual.get<double>() - expected.get<double>()) > kTolerance) {
        return where + ": expected " + expected.dump() + ", published " + actual.dump();
    }
    return "";
}

std::string compare_battery(const Json& published, const Json& expected) {
    if (expected.is_null()) return published.is_null() ? "" : "battery: none here, but published " + published.dump();
    if (!published.is_object()) return "battery: missing";
    for (const char* key : kBatteryKeys) {
        if (auto d = compare_number(std::string("battery.") + key, expected[key], published.value(key, Json())); !d.empty()) return d;
    }
    return "";
}

std::vector<std::string> captures() {
    std::vector<std::string> names;
    for (const auto& entry : std::filesystem::directory_iterator(testsupport::test_data("envoy"))) {
        if (entry.is_directory() && std::filesystem::exists(entry.path() / "golden.json")) {
            names.push_back(entry.path().filename().string());
        }
    }
    std::sort(names.begin(), names.end());
    return names;
}

Json load(const std::string& capture) {
    return Json::parse(testsupport::read_file(testsupport::test_data("envoy/" + capture + "/golden.json")));
}

bool token_firmware(const std::string& capture) {
    std::string info = testsupport::read_file(testsupport::test_data("envoy/" + capture + "/info"));
    return info.find("<web-tokens>true</web-tokens>") != std::string::npos ||
           info.find("<software>D7.") != std::string::npos || info.find("<software>D8.") != std::string::npos;
}

std::string compare_meters(const Json& published, const Json& block, bool with_energy) {
    if (!published.is_object()) return "no meters JSON: " + published.dump();
    for (const char* meter : kMeters) {
        const Json& expected = block[meter];
        if (expected.is_null()) {
            if (published.contains(meter)) return std::string(meter) + ": not measured here, but published";
            continue;
        }
        if (!published.contains(meter)) return std::string(meter) + ": missing";
        if (auto d = compare_meter(meter, published[meter], expected, with_energy); !d.empty()) return d;
    }
    return "";
}

}  // namespace golden
