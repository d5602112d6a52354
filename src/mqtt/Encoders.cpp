// mqtt: JSON encoding of meters, devices, inverters and events (see Encoders.hpp).
#include "mqtt/Encoders.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

#include "mqtt/JsonNumbers.hpp"

namespace mqtt {
namespace {

using detail::Json;
using detail::number;
using detail::rounded;

// Whole numbers (the gateway's watts) stay integers in the JSON text.
Json whole_or_decimal(double value) {
    double result = rounded(value);
    if (std::abs(result) < 9.0e15 && result == std::trunc(result)) return static_cast<std::int64_t>(result);
    return result;
}

// The values of a phase, or of a meter's total (which has no power factor or frequency key
// upstream), in upstream's key order.
void add_values(Json& json, const model::PhaseValues& values, bool is_phase, bool with_reverse) {
    json["power"] = number(values.power);
    json["current"] = number(values.current);
    json["voltage"] = number(values.voltage);
    json["power_react"] = number(values.reactive_power);
    json["power_appearent"] = number(values.apparent_power);
    if (is_phase) {
        json["power_factor"] = number(values.power_factor);
        json["frequency"] = number(values.frequency);
    }
    json["whToday"] = number(values.wh_today);
    json["vahToday"] = number(values.vah_today);
    json["whLifetime"] = number(values.wh_lifetime);
    json["vahLifetime"] = number(values.vah_lifetime);
    json["energy_forward"] = number(values.energy_forward);
    if (with_reverse) json["energy_reverse"] = number(values.energy_reverse);
}

Json meter_json(const model::MeterValues& meter, bool with_reverse) {
    Json json = Json::object();
    int phases = std::clamp(meter.phase_count, 0, model::kMaxPhases);
    for (int i = 0; i < phases; ++i) {
        Json phase = Json::object();
        add_values(phase, meter.phases[static_cast<std::size_t>(i)], true, with_reverse);
        json["L" + std::to_string(i + 1)] = std::move(phase);
    }
    add_values(json, meter.total, false, with_reverse);
    return json;
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
    Json json = Json::object();
    if (snapshot.pv.present) json["pv"] = meter_json(snapshot.pv, false);
    if (snapshot.grid.present) json["grid"] = meter_json(snapshot.grid, true);
    if (snapshot.consumption.present) json["consumption"] = meter_json(snapshot.consumption, false);
    return json.dump();
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
