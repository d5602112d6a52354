// envoy/parsers: Server-Sent Events framing of /stream/meter and the meaning of one event.
#include "envoy/parsers/Stream.hpp"

#include <array>

#include "envoy/parsers/JsonFields.hpp"
#include "envoy/parsers/MeterSemantics.hpp"
#include "envoy/parsers/ParseError.hpp"

namespace envoy::parse {

// --- StreamDecoder ---------------------------------------------------------------------------

StreamDecoder::StreamDecoder(std::size_t max_event_bytes) : max_bytes_(max_event_bytes) {
    line_.reserve(256);
    data_.reserve(1024);
}

void StreamDecoder::reset() {
    line_.clear();
    data_.clear();
    has_data_ = false;
    delivered_ = false;
    after_cr_ = false;
    skipping_ = false;
}

void StreamDecoder::check_size(std::size_t buffered, std::size_t extra) {
    if (buffered + extra > max_bytes_) {
        reset();
        skipping_ = true;  // the rest of the oversize event is dropped up to its blank line
        throw ParseError("/stream/meter: event larger than " + std::to_string(max_bytes_) + " bytes");
    }
}

void StreamDecoder::append_line(std::string_view part) {
    if (skipping_) {
        if (line_.empty() && !part.empty()) line_.push_back(part.front());  // only "not blank" matters
        return;
    }
    check_size(line_.size(), part.size());
    line_.append(part);
}

void StreamDecoder::line_complete(std::string_view line, bool& dispatch) {
    if (line.empty()) {
        dispatch = has_data_ && !skipping_;
        skipping_ = false;
        if (!dispatch) {
            data_.clear();
            has_data_ = false;
        }
        return;
    }
    if (skipping_ || line.front() == ':') return;  // comment
    const auto colon = line.find(':');
    const std::string_view field = line.substr(0, colon);
    if (field != "data") return;      // event, id, retry and unknown fields are not used
    std::string_view value = colon == std::string_view::npos ? std::string_view{} : line.substr(colon + 1);
    if (!value.empty() && value.front() == ' ') value.remove_prefix(1);
    check_size(data_.size(), value.size() + 1);
    if (has_data_) data_.push_back('\n');
    data_.append(value);
    has_data_ = true;
}

std::optional<std::string_view> StreamDecoder::next(std::string_view& chunk) {
    if (delivered_) {
        data_.clear();
        has_data_ = false;
        delivered_ = false;
    }
    while (!chunk.empty()) {
        if (after_cr_) {
            after_cr_ = false;
            if (chunk.front() == '\n') {
                chunk.remove_prefix(1);
                continue;
            }
        }
        const auto end = chunk.find_first_of("\r\n");
        if (end == std::string_view::npos) {
            append_line(chunk);
            chunk = {};
            break;
        }
        after_cr_ = chunk[end] == '\r';
        bool dispatch = false;
        if (line_.empty()) {
            line_complete(chunk.substr(0, end), dispatch);
        } else {
            append_line(chunk.substr(0, end));
            line_complete(line_, dispatch);
            line_.clear();
        }
        chunk.remove_prefix(end + 1);
        if (dispatch) {
            delivered_ = true;
            return std::string_view(data_);
        }
    }
    return std::nullopt;
}

// --- stream_event ------------------------------------------------------------------------------

namespace {

using detail::Json;
using detail::number;

constexpr std::string_view kEndpoint = "/stream/meter";
constexpr std::array<const char*, model::kMaxPhases> kPhaseKeys = {"ph-a", "ph-b", "ph-c"};
constexpr double kLiveVoltage = 50.0;

const model::MeterConfig* enabled_meter(const model::MeterConfigs& config, model::MeasurementType type) {
    for (const auto& meter : config) {
        if (meter.type == type && meter.enabled) return &meter;
    }
    return nullptr;
}

// The phase count to use for a meter of this type, or nullopt when the config hides it.
std::optional<int> configured_phases(const model::MeterConfigs& config, model::MeasurementType type) {
    if (const auto* meter = enabled_meter(config, type)) return meter->phase_count;
    if (type == model::MeasurementType::Production) return std::nullopt;
    const auto other = type == model::MeasurementType::NetConsumption ? model::MeasurementType::TotalConsumption
                                                                      : model::MeasurementType::NetConsumption;
    if (const auto* meter = enabled_meter(config, other)) return meter->phase_count;
    return std::nullopt;
}

model::PhaseValues phase_values(const Json& phase) {
    model::PhaseValues p;
    p.power = number(phase, "p");
    p.reactive_power = number(phase, "q");
    p.apparent_power = number(phase, "s");
    p.voltage = number(phase, "v");
    p.current = number(phase, "i");
    p.power_factor = number(phase, "pf");
    p.frequency = number(phase, "f");
    return p;
}

int live_phases(const model::MeterValues& m) {
    int count = 1;
    for (int i = 0; i < model::kMaxPhases; ++i) {
        const auto& v = m.phases[static_cast<std::size_t>(i)].voltage;
        if (v && *v > kLiveVoltage) count = i + 1;
    }
    return count;
}

void read_meter(const Json& event, const char* key, model::MeasurementType type, const model::MeterConfigs& config,
                model::MeterValues& out) {
    const auto it = event.find(key);
    if (it == event.end() || it->is_null()) return;
    detail::expect_object(kEndpoint, *it, key);
    std::optional<int> phases = model::kMaxPhases;
    if (!config.empty()) {
        phases = configured_phases(config, type);
        if (!phases) return;
    }
    out.present = true;
    for (int i = 0; i < *phases; ++i) {
        const auto phase = it->find(kPhaseKeys[static_cast<std::size_t>(i)]);
        if (phase != it->end()) out.phases[static_cast<std::size_t>(i)] = phase_values(*phase);
    }
    out.phase_count = config.empty() ? live_phases(out) : *phases;
    for (int i = out.phase_count; i < model::kMaxPhases; ++i) out.phases[static_cast<std::size_t>(i)] = {};
}

}  // namespace

model::Snapshot stream_event(std::string_view json, const model::MeterConfigs& config) {
    const Json event = detail::load(kEndpoint, json);
    detail::expect_object(kEndpoint, event);
    model::Snapshot s;
    s.source = model::Source::Stream;
    read_meter(event, "production", model::MeasurementType::Production, config, s.pv);
    read_meter(event, "net-consumption", model::MeasurementType::NetConsumption, config, s.grid);
    read_meter(event, "total-consumption", model::MeasurementType::TotalConsumption, config, s.consumption);
    finish(s);
    return s;
}

}  // namespace envoy::parse
