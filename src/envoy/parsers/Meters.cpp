// envoy/parsers: meter configuration and meter readings (the CTs polled through /ivp/meters*).
#include "envoy/parsers/Meters.hpp"

#include <algorithm>
#include <string>

#include "envoy/parsers/JsonFields.hpp"
#include "envoy/parsers/MeterSemantics.hpp"
#include "envoy/parsers/ParseError.hpp"

namespace envoy::parse {
namespace {

using detail::Json;
using detail::number;

constexpr std::string_view kMeters = "/ivp/meters";
constexpr std::string_view kReadings = "/ivp/meters/readings";

int phase_count(const Json& meter) {
    if (const auto count = detail::integer(meter, "phaseCount"); count && *count >= 1 && *count <= model::kMaxPhases) {
        return static_cast<int>(*count);
    }
    const auto mode = detail::text(meter, "phaseMode");
    if (mode == "three") return 3;
    if (mode == "split") return 2;
    return 1;
}

std::uint64_t eid_of(std::string_view endpoint, const Json& meter) {
    const auto eid = detail::integer(meter, "eid");
    if (!eid || *eid < 0) throw ParseError(std::string(endpoint) + ": a meter without a valid eid");
    return static_cast<std::uint64_t>(*eid);
}

model::Value kwh(const model::Value& wh) { return wh ? model::Value(*wh / 1000.0) : std::nullopt; }

model::PhaseValues phase_values(const Json& channel) {
    model::PhaseValues p;
    p.power = number(channel, "activePower");
    p.current = number(channel, "current");
    p.voltage = number(channel, "voltage");
    p.reactive_power = number(channel, "reactivePower");
    p.apparent_power = number(channel, "apparentPower");
    p.power_factor = number(channel, "pwrFactor");
    p.frequency = number(channel, "freq");
    p.energy_forward = kwh(number(channel, "actEnergyDlvd"));
    p.energy_reverse = kwh(number(channel, "actEnergyRcvd"));
    return p;
}

// A reading's own total: everything but the voltage, which for a multi-phase meter is the sum
// of the phase voltages (the published total voltage is their average, finish() sets it).
model::PhaseValues meter_total(const Json& reading) {
    model::PhaseValues total = phase_values(reading);
    total.voltage.reset();
    return total;
}

model::MeterValues meter_values(const Json& reading, int configured_phases) {
    model::MeterValues m;
    m.present = true;
    const auto channels = reading.find("channels");
    if (channels == reading.end() || !channels->is_array() || channels->empty()) {
        m.phase_count = 1;
        m.phases[0] = phase_values(reading);
        return m;
    }
    const int listed = std::min(configured_phases, static_cast<int>(channels->size()));
    for (int i = 0; i < listed; ++i) {
        m.phases[static_cast<std::size_t>(i)] = phase_values((*channels)[static_cast<std::size_t>(i)]);
    }
    m.phase_count = phases_with_data(m, listed);
    for (int i = m.phase_count; i < model::kMaxPhases; ++i) m.phases[static_cast<std::size_t>(i)] = {};
    m.total = meter_total(reading);
    return m;
}

model::MeterValues* target(model::Snapshot& s, model::MeasurementType type) {
    switch (type) {
        case model::MeasurementType::Production: return &s.pv;
        case model::MeasurementType::NetConsumption: return &s.grid;
        case model::MeasurementType::TotalConsumption: return &s.consumption;
        case model::MeasurementType::Storage: return &s.storage;
        case model::MeasurementType::Backfeed: return &s.backfeed;
        case model::MeasurementType::Load: return &s.load;
        case model::MeasurementType::Evse: return &s.evse;
        case model::MeasurementType::Pv3p: return &s.pv3p;
        case model::MeasurementType::Other: break;
    }
    return nullptr;
}

const model::MeterConfig* find_meter(const model::MeterConfigs& config, std::uint64_t eid) {
    for (const auto& meter : config) {
        if (meter.eid == eid) return &meter;
    }
    return nullptr;
}

}  // namespace

model::MeterConfigs meters(std::string_view json) {
    const Json doc = detail::load(kMeters, json);
    detail::expect_array(kMeters, doc);
    model::MeterConfigs result;
    result.reserve(doc.size());
    for (const Json& meter : doc) {
        detail::expect_object(kMeters, meter, "meter");
        model::MeterConfig config;
        config.eid = eid_of(kMeters, meter);
        config.enabled = detail::text(meter, "state") == "enabled";
        config.type = measurement_type(detail::text(meter, "measurementType").value_or(""));
        config.phase_count = phase_count(meter);
        result.push_back(config);
    }
    return result;
}

model::Snapshot readings(std::string_view json, const model::MeterConfigs& config) {
    const Json doc = detail::load(kReadings, json);
    detail::expect_array(kReadings, doc);
    model::Snapshot s;
    s.source = model::Source::Readings;
    for (const Json& reading : doc) {
        detail::expect_object(kReadings, reading, "meter reading");
        const model::MeterConfig* meter = find_meter(config, eid_of(kReadings, reading));
        if (!meter || !meter->enabled) continue;
        model::MeterValues* out = target(s, meter->type);
        if (!out || out->present) continue;
        *out = meter_values(reading, meter->phase_count);
    }
    finish(s);
    return s;
}

}  // namespace envoy::parse
