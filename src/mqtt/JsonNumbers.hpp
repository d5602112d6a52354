// mqtt (internal): how the encoders write model values as JSON numbers: rounded to 3 decimals
// (no 230.10000000000002 artifacts, no -0.0), null when unknown or not finite. Two forms of the
// same rule: number() for an nlohmann document (the encoders that run once a minute), and
// append_number() for the meters encoder, which writes its text directly (10 samples/s) and
// must print exactly what nlohmann's dump() prints for number() of the same value.
#pragma once

#include <cmath>
#include <string>

#include <nlohmann/json.hpp>

#include "model/Snapshot.hpp"

namespace mqtt::detail {

using Json = nlohmann::ordered_json;

inline double rounded(double value) {
    double result = std::round(value * 1000.0) / 1000.0;
    return result == 0.0 ? 0.0 : result;  // no "-0.0"
}

inline Json number(const model::Value& value) {
    if (!value || !std::isfinite(*value)) return nullptr;
    return rounded(*value);
}

// The longest text append_number() writes (nlohmann's longest: "-1.2345678901234567e-308").
inline constexpr std::size_t kMaxNumberChars = 24;

// Appends exactly the text nlohmann's dump() gives for number(value): "null", or for
// |value| < 1e12 the rounded decimal in fixed notation ("230.1", "1234.0", "0.001", "-0.5"),
// written from its integer count of thousandths; larger values (never a real reading) are
// left to nlohmann ("1e+16").
void append_number(std::string& out, const model::Value& value);

}  // namespace mqtt::detail
