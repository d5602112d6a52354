// tests/integration/mqtt_daemon: expected topic payloads computed from the capture files.
//
// The meters follow the published rules: readings matched to enabled meters by eid, phases
// from the meter's phaseCount, PV below 5 W clamped to 0 (and its current), a missing grid or
// consumption meter derived (power and reactive power only), totals summed (voltage
// averaged), the meter's own kWh counters, wh/vah counters from /production.json, and its
// whLifetime as the kWh counter of PV and consumption where the meter has none.
#include "Expected.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <cmath>
#include <optional>

#include "Process.hpp"

namespace mqttdaemon {
namespace {

using Value = std::optional<double>;

constexpr double kPvNoiseWatts = 5.0;
constexpr std::int64_t kReportMaxAge = 1200;
constexpr int kMaxPhases = 3;

std::string capture_file(const std::string& capture, const std::string& name) {
    return testsupport::test_data("envoy/" + capture + "/" + name);
}

bool exists(const std::string& path) {
    struct stat info {};
    return ::stat(path.c_str(), &info) == 0;
}

Json load(const std::string& capture, const std::string& name) {
    return Json::parse(testsupport::read_file(capture_file(capture, name)));
}

double round3(double x) {
    double r = std::round(x * 1000.0) / 1000.0;
    return r == 0.0 ? 0.0 : r;
}

Value number(const Json& object, const char* key) {
    if (!object.is_object() || !object.contains(key) || !object[key].is_number()) return std::nullopt;
    return object[key].get<double>();
}

Value kwh(const Value& wh) { return wh ? Value(*wh / 1000.0) : std::nullopt; }
Value add(const Value& a, const Value& b) { return a && b ? Value(*a + *b) : std::nullopt; }
Value subtract(const Value& a, const Value& b) { return a && b ? Value(*a - *b) : std::nullopt; }

struct Phase {
    Value power, current, voltage, reactive, apparent, power_factor, frequency;
    Value wh_today, vah_today, wh_lifetime, vah_lifetime, forward, reverse;
};

struct Meter {
    bool present = false;
    int phases = 0;
    Phase line[kMaxPhases];
    Phase total;
};

// One channel (or a reading without channels): `envoy-sim --static` serves it as captured.
Phase served(const Json& channel) {
    Phase out;
    out.power = number(channel, "activePower");
    out.current = number(channel, "current");
    out.voltage = number(channel, "voltage");
    out.reactive = number(channel, "reactivePower");
    out.apparent = number(channel, "apparentPower");
    out.power_factor = number(channel, "pwrFactor");
    out.frequency = number(channel, "freq");
    out.forward = kwh(number(channel, "actEnergyDlvd"));
    out.reverse = kwh(number(channel, "actEnergyRcvd"));
    return out;
}

int phase_count(const Json& config) {
    if (config.contains("phaseCount") && config["phaseCount"].is_number_integer()) {
        int count = config["phaseCount"].get<int>();
        if (count >= 1 && count <= kMaxPhases) return count;
    }
    std::string mode = config.value("phaseMode", "");
    return mode == "three" ? 3 : mode == "split" ? 2 : 1;
}

Meter measured(const Json& reading, int phases) {
    Meter m;
    m.present = true;
    if (reading.contains("channels") && reading["channels"].is_array()) {
        m.phases = phases;
        const Json& channels = reading["channels"];
        for (int i = 0; i < phases && i < static_cast<int>(channels.size()); ++i) m.line[i] = served(channels[static_cast<std::size_t>(i)]);
    } else {
        m.phases = 1;
        m.line[0] = served(reading);
    }
    m.total.forward = kwh(number(reading, "actEnergyDlvd"));
    m.total.reverse = kwh(number(reading, "actEnergyRcvd"));
    return m;
}

void clamp_pv(Phase& phase) {
    if (phase.power && *phase.power < kPvNoiseWatts) {
        phase.power = 0.0;
        if (phase.current) phase.current = 0.0;
    }
}

// measured +/- pv per phase; PV counts as 0 W on phases it does not measure.
Meter derived(const Meter& from, const Meter& pv, bool add_pv) {
    Meter out;
    out.present = true;
    out.phases = from.phases;
    for (int i = 0; i < from.phases; ++i) {
        Phase pv_phase;
        if (i < pv.phases) pv_phase = pv.line[i];
        else pv_phase.power = pv_phase.reactive = 0.0;
        const Phase& m = from.line[i];
        out.line[i].power = add_pv ? add(m.power, pv_phase.power) : subtract(m.power, pv_phase.power);
        out.line[i].reactive = add_pv ? add(m.reactive, pv_phase.reactive) : subtract(m.reactive, pv_phase.reactive);
        out.line[i].voltage = m.voltage;
        out.line[i].frequency = m.frequency;
    }
    return out;
}

template <class Member>
Value sum(const Meter& m, Member member) {
    Value total = 0.0;
    for (int i = 0; i < m.phases; ++i) total = add(total, m.line[i].*member);
    return total;
}

void totals(Meter& m) {
    if (!m.present || m.phases <= 0) return;
    m.total.power = sum(m, &Phase::power);
    m.total.current = sum(m, &Phase::current);
    m.total.reactive = sum(m, &Phase::reactive);
    m.total.apparent = sum(m, &Phase::apparent);
    double volts = 0;
    int known = 0;
    for (int i = 0; i < m.phases; ++i) {
        if (m.line[i].voltage) {
            volts += *m.line[i].voltage;
            ++known;
        }
    }
    m.total.voltage = known ? Value(volts / known) : std::nullopt;
    for (auto member : {&Phase::wh_today, &Phase::vah_today, &Phase::wh_lifetime, &Phase::vah_lifetime, &Phase::forward,
                        &Phase::reverse}) {
        if (!(m.total.*member)) m.total.*member = sum(m, member);
    }
}

void copy_counters(Phase& to, const Json& from) {
    if (auto v = number(from, "whToday")) to.wh_today = v;
    if (auto v = number(from, "vahToday")) to.vah_today = v;
    if (auto v = number(from, "whLifetime")) to.wh_lifetime = v;
    if (auto v = number(from, "vahLifetime")) to.vah_lifetime = v;
}

// /production.json's eim entries (when active) give the wh/vah counters of the total and phases.
void merge_production(const Json& production, Meter& pv, Meter& grid, Meter& consumption) {
    bool done[3] = {false, false, false};
    for (const char* list : {"production", "consumption"}) {
        if (!production.contains(list) || !production[list].is_array()) continue;
        for (const Json& entry : production[list]) {
            if (entry.value("type", "") != "eim") continue;
            if (entry.contains("activeCount") && entry["activeCount"] == 0) continue;
            std::string type = entry.value("measurementType", "");
            int index = type == "production" ? 0 : type == "net-consumption" ? 1 : type == "total-consumption" ? 2 : -1;
            if (index < 0 || done[index]) continue;
            done[index] = true;
            Meter& target = index == 0 ? pv : index == 1 ? grid : consumption;
            if (!target.present) continue;
            copy_counters(target.total, entry);
            if (!entry.contains("lines") || !entry["lines"].is_array()) continue;
            const Json& lines = entry["lines"];
            int common = std::min({target.phases, static_cast<int>(lines.size()), kMaxPhases});
            for (int i = 0; i < common; ++i) copy_counters(target.line[i], lines[static_cast<std::size_t>(i)]);
        }
    }
}

// The energy counters' second choice for PV and consumption (src/energy/Counters.hpp): when the
// meter has no kWh counter of its own, whLifetime of /production.json.
void lifetime_as_forward(Meter& m) {
    if (!m.present) return;
    auto fill = [](Phase& phase) {
        if (!phase.forward && phase.wh_lifetime) phase.forward = *phase.wh_lifetime / 1000.0;
    };
    fill(m.total);
    for (int i = 0; i < m.phases; ++i) fill(m.line[i]);
}

Json json_number(const Value& value) { return value ? Json(round3(*value)) : Json(nullptr); }

Json phase_json(const Phase& p, bool with_reverse) {
    Json json = Json::object();
    json["power"] = json_number(p.power);
    json["current"] = json_number(p.current);
    json["voltage"] = json_number(p.voltage);
    json["power_react"] = json_number(p.reactive);
    json["power_appearent"] = json_number(p.apparent);
    json["power_factor"] = json_number(p.power_factor);
    json["frequency"] = json_number(p.frequency);
    json["whToday"] = json_number(p.wh_today);
    json["vahToday"] = json_number(p.vah_today);
    json["whLifetime"] = json_number(p.wh_lifetime);
    json["vahLifetime"] = json_number(p.vah_lifetime);
    json["energy_forward"] = json_number(p.forward);
    if (with_reverse) json["energy_reverse"] = json_number(p.reverse);
    return json;
}

Json meter_json(const Meter& m, bool with_reverse) {
    Json json = Json::object();
    for (int i = 0; i < m.phases; ++i) json["L" + std::to_string(i + 1)] = phase_json(m.line[i], with_reverse);
    json["power"] = json_number(m.total.power);
    json["current"] = json_number(m.total.current);
    json["voltage"] = json_number(m.total.voltage);
    json["power_react"] = json_number(m.total.reactive);
    json["power_appearent"] = json_number(m.total.apparent);
    json["whToday"] = json_number(m.total.wh_today);
    json["vahToday"] = json_number(m.total.vah_today);
    json["whLifetime"] = json_number(m.total.wh_lifetime);
    json["vahLifetime"] = json_number(m.total.vah_lifetime);
    json["energy_forward"] = json_number(m.total.forward);
    if (with_reverse) json["energy_reverse"] = json_number(m.total.reverse);
    return json;
}

std::string keys_of(const Json& object) {
    std::string text;
    for (const auto& item : object.items()) text += (text.empty() ? "" : ",") + item.key();
    return "[" + text + "]";
}

}  // namespace

Json capture_inverters(const std::string& capture) { return load(capture, "api_v1_production_inverters"); }

std::vector<std::string> inverter_serials(const std::string& capture) {
    std::vector<std::string> serials;
    for (const Json& inverter : capture_inverters(capture)) serials.push_back(inverter["serialNumber"].get<std::string>());
    return serials;
}

Json expected_meters(const std::string& capture) {
    const Json configs = load(capture, "ivp_meters");
    const Json readings = load(capture, "ivp_meters_readings");
    Meter pv, grid, consumption;
    const std::pair<const char*, Meter*> types[] = {{"production", &pv}, {"net-consumption", &grid}, {"total-consumption", &consumption}};
    for (const auto& [type, meter] : types) {
        for (const Json& config : configs) {
            if (config.value("state", "") != "enabled" || config.value("measurementType", "") != type) continue;
            for (const Json& reading : readings) {
                if (reading["eid"] == config["eid"] && !meter->present) *meter = measured(reading, phase_count(config));
            }
        }
    }
    for (int i = 0; i < pv.phases; ++i) clamp_pv(pv.line[i]);
    if (pv.present && !grid.present && consumption.present) grid = derived(consumption, pv, false);
    else if (pv.present && !consumption.present && grid.present) consumption = derived(grid, pv, true);
    totals(pv);
    totals(grid);
    totals(consumption);
    if (pv.present) clamp_pv(pv.total);
    std::string production_file = exists(capture_file(capture, "production.json_details_1")) ? "production.json_details_1" : "production.json";
    merge_production(load(capture, production_file), pv, grid, consumption);
    lifetime_as_forward(pv);
    lifetime_as_forward(consumption);

    Json json = Json::object();
    if (pv.present) json["pv"] = meter_json(pv, false);
    if (grid.present) json["grid"] = meter_json(grid, true);
    if (consumption.present) json["consumption"] = meter_json(consumption, false);
    return json;
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
