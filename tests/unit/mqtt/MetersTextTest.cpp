// tests/unit/mqtt: the meters payload, written without an nlohmann document, is byte for byte
// what nlohmann's dump() gives for the document the encoder used to build (kept here as the
// reference), on random snapshots and on single numbers of every magnitude.
#include <gtest/gtest.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <string>

#include <nlohmann/json.hpp>

#include "mqtt/Encoders.hpp"
#include "mqtt/JsonNumbers.hpp"

namespace {

using mqtt::detail::Json;
using mqtt::detail::number;

// ---- the reference: the nlohmann document encode_meters() built before it wrote text ----

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

std::string reference_meters(const model::Snapshot& snapshot) {
    Json json = Json::object();
    if (snapshot.pv.present) json["pv"] = meter_json(snapshot.pv, false);
    if (snapshot.grid.present) json["grid"] = meter_json(snapshot.grid, true);
    if (snapshot.consumption.present) json["consumption"] = meter_json(snapshot.consumption, false);
    return json.dump();
}

std::string reference_number(const model::Value& value) { return Json(number(value)).dump(); }

std::string written_number(const model::Value& value) {
    std::string text;
    mqtt::detail::append_number(text, value);
    return text;
}

// ---- random values ----

class Values {
public:
    explicit Values(std::uint64_t seed) : random_(seed) {}

    double uniform(double low, double high) { return std::uniform_real_distribution<double>(low, high)(random_); }
    int below(int count) { return std::uniform_int_distribution<int>(0, count - 1)(random_); }

    // Any finite or non-finite double: a random bit pattern.
    double any_bits() { return std::bit_cast<double>(random_()); }

    // A value as a gateway might report it, or one of the awkward kinds: missing, NaN, inf,
    // -0, ties at the third decimal, tiny, huge, around the 1e12 / 1e15 / 1e16 switches.
    model::Value value(double realistic_low, double realistic_high) {
        switch (below(20)) {
            case 0: return std::nullopt;
            case 1: return std::numeric_limits<double>::quiet_NaN();
            case 2: return below(2) ? std::numeric_limits<double>::infinity() : -std::numeric_limits<double>::infinity();
            case 3: return below(2) ? -0.0 : 0.0;
            case 4: return std::round(uniform(realistic_low, realistic_high));  // whole watts
            case 5: return (std::round(uniform(-1e6, 1e6)) + 0.5) / 1000.0;  // x.yyy5
            case 6: return uniform(-2e-3, 2e-3);
            case 7: return std::ldexp(uniform(-1.0, 1.0), below(2100) - 1074);  // any magnitude, denormals too
            case 8: return uniform(-1.0, 1.0) * std::pow(10.0, uniform(11.0, 17.0));
            case 9: return any_bits();
            case 10: return (below(2) ? 1 : -1) * std::nextafter(1e12, below(2) ? 0.0 : 2e12);
            default: return uniform(realistic_low, realistic_high);
        }
    }

    model::PhaseValues phase(double power_scale) {
        model::PhaseValues values;
        values.power = value(-power_scale, power_scale);
        values.current = value(-power_scale / 200, power_scale / 200);
        values.voltage = value(0, 260);
        values.reactive_power = value(-power_scale / 4, power_scale / 4);
        values.apparent_power = value(0, power_scale);
        values.power_factor = value(-1, 1);
        values.frequency = value(45, 65);
        values.wh_today = value(0, 2e5);
        values.vah_today = value(0, 2e5);
        values.wh_lifetime = value(0, 5e9);
        values.vah_lifetime = value(0, 5e9);
        values.energy_forward = value(0, 5e6);
        values.energy_reverse = value(0, 5e6);
        return values;
    }

    model::MeterValues meter() {
        model::MeterValues result;
        result.present = below(5) != 0;
        result.phase_count = below(10) == 0 ? below(7) - 2 : below(4);  // now and then outside 0..3
        double scale = below(3) == 0 ? 1e3 : 3e4;
        for (auto& values : result.phases) values = phase(scale);
        result.total = phase(3 * scale);
        return result;
    }

    model::Snapshot snapshot() {
        model::Snapshot snapshot;
        snapshot.pv = meter();
        snapshot.grid = meter();
        snapshot.consumption = meter();
        snapshot.storage = meter();  // not part of the meters topic
        return snapshot;
    }

private:
    std::mt19937_64 random_;
};

TEST(MqttMetersText, ByteIdenticalToTheNlohmannDocumentOnRandomSnapshots) {
    Values values(20240611);
    int with_meters = 0;
    for (int i = 0; i < 4000; ++i) {
        model::Snapshot snapshot = values.snapshot();
        std::string written = mqtt::encode_meters(snapshot);
        ASSERT_EQ(written, reference_meters(snapshot)) << "snapshot " << i;
        if (written != "{}") ++with_meters;
    }
    EXPECT_GT(with_meters, 3900);
}

TEST(MqttMetersText, EmptyAndPhaseCounts) {
    model::Snapshot snapshot;
    EXPECT_EQ(mqtt::encode_meters(snapshot), "{}");
    for (int phases = -1; phases <= 4; ++phases) {
        snapshot.grid.present = true;
        snapshot.grid.phase_count = phases;
        snapshot.consumption.present = true;
        snapshot.consumption.phase_count = 3 - phases;
        ASSERT_EQ(mqtt::encode_meters(snapshot), reference_meters(snapshot)) << phases;
    }
}

TEST(MqttMetersText, EveryThousandthUpToTwoHundred) {
    for (std::int64_t n = -200000; n <= 200000; ++n) {
        model::Value value = static_cast<double>(n) / 1000.0;
        ASSERT_EQ(written_number(value), reference_number(value)) << n;
    }
}

TEST(MqttMetersText, NumbersOfEveryMagnitude) {
    Values values(7);
    for (int i = 0; i < 300000; ++i) {
        // Random thousandths with 1 to 15 digits (the integer path), then anything.
        double thousandths = std::floor(values.uniform(0, 1) * std::pow(10.0, 1 + values.below(15)));
        model::Value value = (values.below(2) ? -thousandths : thousandths) / 1000.0;
        ASSERT_EQ(written_number(value), reference_number(value)) << *value;
        value = values.value(-1e4, 1e4);
        ASSERT_EQ(written_number(value), reference_number(value)) << (value ? *value : 0.0);
        value = values.any_bits();
        ASSERT_EQ(written_number(value), reference_number(value)) << *value;
    }
}

TEST(MqttMetersText, SpecialNumbers) {
    const double max = std::numeric_limits<double>::max();
    for (model::Value value : {model::Value{}, model::Value{std::numeric_limits<double>::quiet_NaN()},
                               model::Value{std::numeric_limits<double>::infinity()}, model::Value{-max},
                               model::Value{max}, model::Value{max / 1000.0}, model::Value{max / 999.0},
                               model::Value{std::numeric_limits<double>::denorm_min()}, model::Value{-0.0},
                               model::Value{-0.0004}, model::Value{0.0005}, model::Value{-0.0005},
                               model::Value{999999999999.9995}, model::Value{1e12}, model::Value{1e15},
                               model::Value{1e16}, model::Value{123456789012345678.0}, model::Value{0.1 + 0.2},
                               model::Value{230.10000000000002}}) {
        EXPECT_EQ(written_number(value), reference_number(value)) << (value ? *value : 0.0);
    }
    EXPECT_EQ(written_number(-0.0004), "0.0");
    EXPECT_EQ(written_number(1234.0), "1234.0");
    EXPECT_EQ(written_number(230.10000000000002), "230.1");
    EXPECT_EQ(written_number(1e16), "1e+16");
    EXPECT_EQ(written_number(std::numeric_limits<double>::max()), "null");  // * 1000 overflows
}

}  // namespace
