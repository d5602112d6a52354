// envoy/parsers: the meaning of one /stream/meter event, read without building a document.
//
// This runs for every sample (up to several per second), so the event is read with nlohmann's SAX
// interface: the reader keeps the fields it needs (three meters, three phases, seven numbers) in
// place as the parser reports them, and allocates nothing per field. It gives the same result as
// reading a parsed document would: a duplicate key replaces the earlier value whole, a value of
// the wrong type reads as unknown, and the errors are those of the other JSON parsers.
#include <array>
#include <cmath>
#include <optional>
#include <string>
#include <utility>

#include "envoy/parsers/JsonFields.hpp"
#include "envoy/parsers/MeterSemantics.hpp"
#include "envoy/parsers/ParseError.hpp"
#include "envoy/parsers/Stream.hpp"

namespace envoy::parse {
namespace {

using detail::Json;

constexpr std::string_view kEndpoint = "/stream/meter";

// The event's meters are keyed by kMeasurementNames and kept in that order (production,
// net-consumption, total-consumption), which is also the order they are checked and applied.
constexpr std::size_t kMeters = kStreamMeters;
constexpr std::array<std::string_view, model::kMaxPhases> kPhaseKeys = {"ph-a", "ph-b", "ph-c"};
enum class Field { Power, Reactive, Apparent, Voltage, Current, PowerFactor, Frequency };
constexpr std::array<std::pair<std::string_view, Field>, 7> kFieldKeys = {{{"p", Field::Power},
                                                                           {"q", Field::Reactive},
                                                                           {"s", Field::Apparent},
                                                                           {"v", Field::Voltage},
                                                                           {"i", Field::Current},
                                                                           {"pf", Field::PowerFactor},
                                                                           {"f", Field::Frequency}}};

int meter_of(std::string_view key) {
    const auto index = static_cast<std::size_t>(measurement_type(key));
    return index < kMeters ? static_cast<int>(index) : -1;
}

int phase_of(std::string_view key) {
    for (std::size_t i = 0; i < kPhaseKeys.size(); ++i) {
        if (key == kPhaseKeys[i]) return static_cast<int>(i);
    }
    return -1;
}

std::optional<Field> field_of(std::string_view key) {
    for (const auto& [name, field] : kFieldKeys) {
        if (key == name) return field;
    }
    return std::nullopt;
}

model::Value& slot(model::PhaseValues& phase, Field field) {
    switch (field) {
        case Field::Power: return phase.power;
        case Field::Reactive: return phase.reactive_power;
        case Field::Apparent: return phase.apparent_power;
        case Field::Voltage: return phase.voltage;
        case Field::Current: return phase.current;
        case Field::PowerFactor: return phase.power_factor;
        case Field::Frequency: break;
    }
    return phase.frequency;
}

// What one meter key of the event held (the last one, when the key repeats).
enum class MeterState { Absent, Null, NotObject, Object };

struct EventValues {
    std::array<MeterState, kMeters> state{MeterState::Absent, MeterState::Absent, MeterState::Absent};
    std::array<std::array<model::PhaseValues, model::kMaxPhases>, kMeters> phases{};
    bool document_is_object = true;
};

// nlohmann SAX handler. The open containers are tracked by what they are (the event object, a
// meter, a phase, or anything else, which is skipped; everything below a phase is skipped and
// only counted); `key_` is what the key of the value about to come names, -1 for nothing read.
class EventReader {
public:
    using number_integer_t = Json::number_integer_t;
    using number_unsigned_t = Json::number_unsigned_t;
    using number_float_t = Json::number_float_t;
    using string_t = Json::string_t;
    using binary_t = Json::binary_t;

    EventReader(EventValues& out, std::size_t body_size) : out_(out), body_size_(body_size) {}

    bool null() { return scalar(std::nullopt, true); }
    bool boolean(bool) { return scalar(std::nullopt, false); }
    bool number_integer(number_integer_t v) { return scalar(static_cast<double>(v), false); }
    bool number_unsigned(number_unsigned_t v) { return scalar(static_cast<double>(v), false); }
    bool number_float(number_float_t v, const string_t&) {
        return scalar(std::isfinite(v) ? model::Value(v) : std::nullopt, false);
    }
    bool string(string_t& s) { return scalar(detail::number_text(s), false); }
    bool binary(binary_t&) { return scalar(std::nullopt, false); }

    bool start_object(std::size_t) { return open(true); }
    bool start_array(std::size_t) { return open(false); }
    bool end_object() { return close(); }
    bool end_array() { return close(); }

    bool key(string_t& key) {
        const Context c = current();
        if (c.kind == Kind::Event) key_ = meter_of(key);
        else if (c.kind == Kind::Meter) key_ = phase_of(key);
        else if (c.kind == Kind::Phase) {
            const auto field = field_of(key);
            key_ = field ? static_cast<int>(*field) : -1;
        }
        return true;
    }

    bool parse_error(std::size_t position, const std::string&, const nlohmann::detail::exception& error) {
        // A syntax error reports where it is; other errors (a number out of range) do not.
        const bool syntax = error.id >= 101 && error.id < 200;
        detail::throw_invalid_json(kEndpoint, syntax ? position : 0, body_size_);
    }

private:
    enum class Kind { Document, Event, Meter, Phase, Skipped };
    struct Context {
        Kind kind = Kind::Document;
        int meter = -1;
        int phase = -1;
    };

    static std::size_t index(int i) { return static_cast<std::size_t>(i); }

    // The field named by key_ in the phase `c` is reading.
    model::Value& phase_slot(const Context& c) {
        return slot(out_.phases[index(c.meter)][index(c.phase)], static_cast<Field>(key_));
    }

    Context current() const { return depth_ < stack_.size() ? stack_[depth_] : Context{Kind::Skipped}; }

    // A value (scalar or container) under key_ of the current container: what it replaces.
    Kind replace(bool is_object, bool is_null) {
        const Context c = current();
        switch (c.kind) {
            case Kind::Document:
                out_.document_is_object = is_object;
                return is_object ? Kind::Event : Kind::Skipped;
            case Kind::Event:
                if (key_ < 0) return Kind::Skipped;
                out_.state[index(key_)] = is_object ? MeterState::Object
                                          : is_null ? MeterState::Null
                                                    : MeterState::NotObject;
                out_.phases[index(key_)] = {};
                return is_object ? Kind::Meter : Kind::Skipped;
            case Kind::Meter:
                if (key_ < 0) return Kind::Skipped;
                out_.phases[index(c.meter)][index(key_)] = {};
                return is_object ? Kind::Phase : Kind::Skipped;
            case Kind::Phase:
                if (key_ >= 0) phase_slot(c).reset();
                return Kind::Skipped;
            case Kind::Skipped: break;
        }
        return Kind::Skipped;
    }

    bool scalar(const model::Value& value, bool is_null) {
        const Context c = current();
        replace(false, is_null);
        if (c.kind == Kind::Phase && key_ >= 0) phase_slot(c) = value;
        return true;
    }

    bool open(bool is_object) {
        const Context parent = current();
        Context child;
        child.kind = replace(is_object, false);
        if (child.kind == Kind::Meter) child.meter = key_;
        if (child.kind == Kind::Phase) {
            child.meter = parent.meter;
            child.phase = key_;
        }
        if (++depth_ < stack_.size()) stack_[depth_] = child;
        key_ = -1;
        return true;
    }

    bool close() {
        --depth_;
        key_ = -1;
        return true;
    }

    EventValues& out_;
    std::size_t body_size_;
    std::array<Context, 4> stack_{};  // document, event, meter, phase; deeper levels are skipped
    std::size_t depth_ = 0;           // open containers
    int key_ = -1;
};

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

void apply_meter(const EventValues& event, std::size_t index, model::MeasurementType type,
                 const model::MeterConfigs& config, model::MeterValues& out) {
    if (event.state[index] != MeterState::Object) return;
    std::optional<int> phases = model::kMaxPhases;
    if (!config.empty()) {
        phases = configured_phases(config, type);
        if (!phases) return;
    }
    out.present = true;
    for (int i = 0; i < *phases; ++i) {
        out.phases[static_cast<std::size_t>(i)] = event.phases[index][static_cast<std::size_t>(i)];
    }
    out.phase_count = phases_with_data(out, *phases);
    for (int i = out.phase_count; i < model::kMaxPhases; ++i) out.phases[static_cast<std::size_t>(i)] = {};
}

}  // namespace

model::Snapshot stream_event(std::string_view json, const model::MeterConfigs& config) {
    const std::string_view body = detail::json_body(kEndpoint, json);
    EventValues event;
    EventReader reader(event, body.size());
    Json::sax_parse(body.begin(), body.end(), &reader);
    if (!event.document_is_object) throw ParseError(std::string(kEndpoint) + ": expected an object");
    for (std::size_t i = 0; i < kMeters; ++i) {
        if (event.state[i] == MeterState::NotObject) {
            throw ParseError(std::string(kEndpoint) + ": " + std::string(kMeasurementNames[i]) + ": expected an object");
        }
    }
    model::Snapshot s;
    s.source = model::Source::Stream;
    apply_meter(event, 0, model::MeasurementType::Production, config, s.pv);
    apply_meter(event, 1, model::MeasurementType::NetConsumption, config, s.grid);
    apply_meter(event, 2, model::MeasurementType::TotalConsumption, config, s.consumption);
    finish(s);
    return s;
}

}  // namespace envoy::parse
