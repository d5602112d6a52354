// mqtt: JSON encoding of meters, devices, inverters and events (see Encoders.hpp).
#include "mqtt/Encoders.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

#include <nlohmann/json.hpp>

namespace mqtt {
namespace {

using Json = nlohmann::ordered_json;

double rounded(double value) {
    double result = std::round(value * 1000.0) / 1000.0;
    return result == 0.0 ? 0.0 : result;  // no "-0.0"
}

Json number(const model::Value& value) {
    if (!value || !std::isfinite(*value)) return nullptr;
    return rounded(*value);
}

// Whole numbers (the gateway's watts) stay integers in the JSON text.
Json whole_or_decimal(double value) {
    double result = rounded(value);
    if (std::abs(result) < 9.0e15 && result == std::trunc(result)) return static_cast<std::int64_t>(result);
    return result;
}

Json phase_json(const model::PhaseValues& phase, bool with_reverse) {
    Json json;
    json["power"] = number(phase.power);
    json["current"] = number(phase.current);
    json["voltage"] = number(phase.voltage);
    json["power_react"] = number(phase.reactive_power);
    json["power_appearent"] = number(phase.apparent_power);
    json["power_factor"] = number(phase.power_factor);
    json["frequency"] = number(phase.frequency);
    json["whToday"] = number(phase.wh_today);
    json["vahToday"] = number(phase.vah_today);
    json["whLifetime"] = number(phase.wh_lifetime);
    json["vahLifetime"] = number(phase.vah_lifetime);
    json["energy_forward"] = number(phase.energy_forward);
    if (with_reverse) json["energy_reverse"] = number(phase.energy_reverse);
    return json;
}

Json meter_json(const model::MeterValues& meter, bool with_reverse) {
    Json json = Json::object();
    int phases = std::clamp(meter.phase_count, 0, model::kMaxPhases);
    for (int i = 0; i < phases; ++i) {
        json["L" + std::to_string(i + 1)] = phase_json(meter.phases[static_cast<std::size_t>(i)], with_reverse);
    }
    const model::PhaseValues& total = meter.total;
    json["power"] = number(total.power);
    json["current"] = number(total.current);
    json["voltage"] = number(total.voltage);
    json["power_react"] = number(total.reactive_power);
    json["power_appearent"] = number(total.apparent_power);
    json["whToday"] = number(total.wh_today);
    json["vahToday"] = number(total.vah_today);
    json["whLifetime"] = number(total.wh_lifetime);
    json["vahLifetime"] = number(total.vah_lifetime);
    json["energy_forward"] = number(total.energy_forward);
    if (with_reverse) json["energy_reverse"] = number(total.energy_reverse);
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

std::string encode_inverters(const model::InverterReports& reports, std::int64_t now_epoch) {
    Json json = Json::object();
    for (const auto& report : reports) {
        bool current = now_epoch - report.last_report_date <= kInverterReportMaxAge;
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
