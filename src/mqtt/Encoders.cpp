// mqtt: JSON encoding of meters, devices, inverters and events (see Encoders.hpp).
#include "mqtt/Encoders.hpp"

#include <algorithm>
#include <cmath>
#include <string_view>
#include <vector>

#include "mqtt/JsonNumbers.hpp"

namespace mqtt {
namespace {

using detail::append_number;
using detail::Json;
using detail::number;
using detail::rounded;
using model::kMaxPhases;

// Whole numbers (the gateway's watts) stay integers in the JSON text.
Json whole_or_decimal(double value) {
    double result = rounded(value);
    if (std::abs(result) < 9.0e15 && result == std::trunc(result)) return static_cast<std::int64_t>(result);
    return result;
}

// The meters text is written directly (no nlohmann document: it is encoded up to once a
// second), in the order and form nlohmann's dump() gave it: no spaces, keys in upstream's
// order, numbers by append_number(). Each key literal carries the comma before it.
constexpr std::size_t kMaxMeters = 3;
constexpr std::size_t kMaxValuesPerMeter = kMaxPhases * 13 + 11;
constexpr std::size_t kMaxKeyChars = sizeof(",\"power_appearent\":") - 1;  // the longest key
constexpr std::size_t kMaxMeterFrame = sizeof(",\"consumption\":{}") - 1 + kMaxPhases * (sizeof(",\"L1\":{}") - 1);
// Enough for every value at its longest: the text is built in one allocation.
constexpr std::size_t kMetersCapacity =
    2 + kMaxMeters * (kMaxMeterFrame + kMaxValuesPerMeter * (kMaxKeyChars + detail::kMaxNumberChars));

void append_value(std::string& out, std::string_view key, const model::Value& value) {
    out.append(key);
    append_number(out, value);
}

// The values of a phase, or of a meter's total (which has no power factor or frequency key
// upstream), in upstream's key order. first: no comma before the first key.
void append_values(std::string& out, const model::PhaseValues& values, bool is_phase, bool with_reverse, bool first) {
    append_value(out, first ? R"("power":)" : R"(,"power":)", values.power);
    append_value(out, R"(,"current":)", values.current);
    append_value(out, R"(,"voltage":)", values.voltage);
    append_value(out, R"(,"power_react":)", values.reactive_power);
    append_value(out, R"(,"power_appearent":)", values.apparent_power);
    if (is_phase) {
        append_value(out, R"(,"power_factor":)", values.power_factor);
        append_value(out, R"(,"frequency":)", values.frequency);
    }
    append_value(out, R"(,"whToday":)", values.wh_today);
    append_value(out, R"(,"vahToday":)", values.vah_today);
    append_value(out, R"(,"whLifetime":)", values.wh_lifetime);
    append_value(out, R"(,"vahLifetime":)", values.vah_lifetime);
    append_value(out, R"(,"energy_forward":)", values.energy_forward);
    if (with_reverse) append_value(out, R"(,"energy_reverse":)", values.energy_reverse);
}

// key: the meter's key with its quotes, colon and (unless it comes first) leading comma.
void append_meter(std::string& out, std::string_view key, const model::MeterValues& meter, bool with_reverse) {
    static constexpr std::string_view kPhaseKeys[kMaxPhases] = {R"("L1":{)", R"(,"L2":{)", R"(,"L3":{)"};
    out.append(key);
    out += '{';
    int phases = std::clamp(meter.phase_count, 0, kMaxPhases);
    for (int i = 0; i < phases; ++i) {
        out.append(kPhaseKeys[i]);
        append_values(out, meter.phases[static_cast<std::size_t>(i)], true, with_reverse, true);
        out += '}';
    }
    append_values(out, meter.total, false, with_reverse, phases == 0);
    out += '}';
}

Json device_json(const model::Device& device) {
    Json json;
    json["status"] = device.status;
    json["producing"] = device.producing;
    json["communicating"] = device.communicating;
    json["provisioned"] = device.provisioned;
    json["operating"] = device.operating;
    return json;
}

Json optional_text(const std::optional<std::string>& text) {
    if (!text) return nullptr;
    return *text;
}

}  // namespace

std::string encode_meters(const model::Snapshot& snapshot) {
    std::string out;
    out.reserve(kMetersCapacity);
    out += '{';
    bool first = true;
    auto meter = [&](std::string_view key, const model::MeterValues& values, bool with_reverse) {
        if (!values.present) return;
        append_meter(out, first ? key.substr(1) : key, values, with_reverse);
        first = false;
    };
    meter(R"(,"pv":)", snapshot.pv, false);
    meter(R"(,"grid":)", snapshot.grid, true);
    meter(R"(,"consumption":)", snapshot.consumption, false);
    out += '}';
    return out;
}

std::string encode_devices(const model::Devices& devices) {
    Json inverters = Json::object();
    for (const auto& device : devices.inverters) inverters[device.serial] = device_json(device);
    Json batteries = Json::object();
    for (const auto& device : devices.batteries) batteries[device.serial] = device_json(device);
    Json relays = Json::object();
    for (const auto& device : devices.relays) {
        Json json = device_json(device);
        json["relay"] = optional_text(device.relay);
        json["reason"] = optional_text(device.reason);
        relays[device.serial] = std::move(json);
    }
    Json json;
    json["inverters"] = std::move(inverters);
    json["batteries"] = std::move(batteries);
    json["relais"] = std::move(relays);
    return json.dump();
}

std::string encode_inverters(const model::InverterReports& reports, std::int64_t reference_epoch) {
    Json json = Json::object();
    for (const auto& report : reports) {
        bool current = reference_epoch - report.last_report_date <= kInverterReportMaxAge;
        Json entry;
        entry["lastReportDate"] = report.last_report_date;
        entry["lastReportWatts"] = whole_or_decimal(report.last_report_watts);
        entry["currentWatts"] = current ? whole_or_decimal(report.last_report_watts) : Json(0);
        json[report.serial] = std::move(entry);
    }
    return json.dump();
}

std::string encode_events(const model::Events& events) {
    std::vector<const model::Event*> latest;
    latest.reserve(events.size());
    for (const auto& event : events) latest.push_back(&event);
    std::sort(latest.begin(), latest.end(), [](const model::Event* a, const model::Event* b) { return a->id > b->id; });
    if (latest.size() > kMaxEvents) latest.resize(kMaxEvents);
    std::reverse(latest.begin(), latest.end());
    Json json = Json::object();
    for (const model::Event* event : latest) {
        Json entry;
        entry["message"] = event->message;
        entry["serialNumber"] = event->serial;
        entry["type"] = event->type;
        entry["datetime"] = event->datetime;
        json[std::to_string(event->id)] = std::move(entry);
    }
    return json.dump();
}

}  // namespace mqtt
