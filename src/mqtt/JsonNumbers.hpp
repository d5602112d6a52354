// mqtt (internal): how the encoders write model values as JSON numbers: rounded to 3 decimals
// (no 230.10000000000002 artifacts, no -0.0), null when unknown or not finite.
#pragma once

#include <cmath>

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

}  // namespace mqtt::detail
