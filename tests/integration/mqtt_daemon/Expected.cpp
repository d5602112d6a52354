// tests/integration/mqtt_daemon: expected topic payloads computed from the capture files (the
// meters' figures come from golden.json, see tests/support/GoldenFile.hpp; here only their shape).
#include "Expected.hpp"

#include <algorithm>
#include <cmath>

#include "Process.hpp"

namespace mqttdaemon {
namespace {

constexpr std::int64_t kReportMaxAge = 1200;

std::string capture_file(const std::string& capture, const std::string& name) {
    return testsupport::test_data("envoy/" + capture + "/" + name);
}

Json load(const std::string& capture, const std::string& name) {
    return Json::parse(testsupport::read_file(capture_file(capture, name)));
}

std::string keys_of(const Json& object) {
    std::string text;
    for (const auto& item : object.items()) text += (text.empty() ? "" : ",") + item.key();
    return "[" + text + "]";
}

std::string keys_of(const std::vector<std::string>& keys) {
    std::string text;
    for (const auto& key : keys) text += (text.empty() ? "" : ",") + key;
    return "[" + text + "]";
}

}  // namespace

Json capture_inverters(const std::string& capture) { return load(capture, "api_v1_production_inverters"); }

std::vector<std::string> inverter_serials(const std::string& capture) {
    std::vector<std::string> serials;
    for (const Json& inverter : capture_inverters(capture)) serials.push_back(inverter["serialNumber"].get<std::string>());
    return serials;
}

std::string meters_shape(const Json& meters) {
    static const std::vector<std::string> total = {"power", "current", "voltage", "power_react", "power_appearent",
                                                   "whToday", "vahToday", "whLifetime", "vahLifetime", "energy_forward"};
    static const std::vector<std::string> phase = {"power", "current", "voltage", "power_react", "power_appearent",
                                                   "power_factor", "frequency", "whToday", "vahToday", "whLifetime",
                                                   "vahLifetime", "energy_forward"};
    if (!meters.is_object()) return "not an object: " + meters.dump();
    for (const auto& [name, meter] : meters.items()) {
        if (name != "pv" && name != "grid" && name != "consumption") return "unknown meter " + name;
        std::vector<std::string> keys;
        for (const auto& item : meter.items()) {
            if (item.key().rfind('L', 0) != 0) continue;
            keys.push_back(item.key());
            std::vector<std::string> want = phase;
            if (name == "grid") want.push_back("energy_reverse");
            if (keys_of(item.value()) != keys_of(want)) return name + "/" + item.key() + ": keys " + keys_of(item.value());
        }
        std::vector<std::string> want = keys;
        want.insert(want.end(), total.begin(), total.end());
        if (name == "grid") want.push_back("energy_reverse");
        if (keys_of(meter) != keys_of(want)) return name + ": keys " + keys_of(meter) + " instead of " + keys_of(want);
    }
    return "";
}

Json expected_devices(const std::string& capture) {
    Json inverters = Json::object();
    for (const Json& inverter : capture_inverters(capture)) {
        Json device = Json::object();
        device["status"] = Json::array({"envoy.global.ok"});
        device["producing"] = inverter.value("lastReportWatts", 0.0) > 0.0;
        device["communicating"] = true;
        device["provisioned"] = true;
        device["operating"] = true;
        inverters[inverter["serialNumber"].get<std::string>()] = device;
    }
    Json json = Json::object();
    json["inverters"] = inverters;
    json["batteries"] = Json::object();
    json["relais"] = Json::object();
    return json;
}

std::int64_t newest_report_date(const std::string& capture) {
    std::int64_t newest = 0;
    for (const Json& inverter : capture_inverters(capture)) newest = std::max(newest, inverter["lastReportDate"].get<std::int64_t>());
    return newest;
}

Json expected_inverters(const std::string& capture, std::int64_t now_epoch) {
    Json json = Json::object();
    for (const Json& inverter : capture_inverters(capture)) {
        std::int64_t date = inverter["lastReportDate"].get<std::int64_t>();
        Json entry = Json::object();
        entry["lastReportDate"] = date;
        entry["lastReportWatts"] = inverter["lastReportWatts"];
        entry["currentWatts"] = now_epoch - date <= kReportMaxAge ? inverter["lastReportWatts"] : Json(0);
        json[inverter["serialNumber"].get<std::string>()] = entry;
    }
    return json;
}

int reporting_inverters(const std::string& capture, std::int64_t now_epoch) {
    int count = 0;
    for (const Json& inverter : capture_inverters(capture)) count += now_epoch - inverter["lastReportDate"].get<std::int64_t>() <= kReportMaxAge;
    return count;
}

int producing_inverters(const std::string& capture, std::int64_t now_epoch) {
    int count = 0;
    for (const Json& inverter : capture_inverters(capture)) {
        count += now_epoch - inverter["lastReportDate"].get<std::int64_t>() <= kReportMaxAge &&
                 inverter.value("lastReportWatts", 0.0) > 0.0;
    }
    return count;
}

std::string difference(const Json& actual, const Json& expected, double tolerance, const std::string& path) {
    std::string where = path.empty() ? "(top)" : path;
    if (expected.is_object()) {
        if (!actual.is_object()) return where + ": " + actual.dump() + " is not an object";
        if (keys_of(actual) != keys_of(expected)) return where + ": keys " + keys_of(actual) + " instead of " + keys_of(expected);
        for (const auto& item : expected.items()) {
            std::string problem = difference(actual[item.key()], item.value(), tolerance, path + "/" + item.key());
            if (!problem.empty()) return problem;
        }
        return {};
    }
    if (expected.is_array()) {
        if (!actual.is_array() || actual.size() != expected.size()) return where + ": " + actual.dump() + " instead of " + expected.dump();
        for (std::size_t i = 0; i < expected.size(); ++i) {
            std::string problem = difference(actual[i], expected[i], tolerance, path + "/" + std::to_string(i));
            if (!problem.empty()) return problem;
        }
        return {};
    }
    if (expected.is_number()) {
        if (!actual.is_number() || std::abs(actual.get<double>() - expected.get<double>()) > tolerance) {
            return where + ": " + actual.dump() + " instead of " + expected.dump();
        }
        return {};
    }
    if (actual != expected) return where + ": " + actual.dump() + " instead of " + expected.dump();
    return {};
}

}  // namespace mqttdaemon
