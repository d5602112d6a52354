// fuzz: helpers shared by the libFuzzer targets: meter configurations to parse against and
// the rule that only ParseError may escape a parser (anything else is a finding).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "envoy/parsers/Meters.hpp"
#include "envoy/parsers/ParseError.hpp"
#include "model/Gateway.hpp"

namespace fuzz {

inline std::string_view as_text(const std::uint8_t* data, std::size_t size) {
    return {reinterpret_cast<const char*>(data), size};
}

// Meter configurations seen on real gateways, picked by one selector byte: three-phase
// production + net-consumption, single-phase production + total-consumption, production only
// with a disabled CT, and none at all (old firmware without /ivp/meters).
inline const model::MeterConfigs& meter_config(std::uint8_t selector) {
    static const model::MeterConfigs configs[] = {
        envoy::parse::meters(R"([
            {"eid":704643328,"state":"enabled","measurementType":"production","phaseMode":"three","phaseCount":3},
            {"eid":704643584,"state":"enabled","measurementType":"net-consumption","phaseMode":"three","phaseCount":3}])"),
        envoy::parse::meters(R"([
            {"eid":704643328,"state":"enabled","measurementType":"production","phaseMode":"single","phaseCount":1},
            {"eid":704643584,"state":"enabled","measurementType":"total-consumption","phaseMode":"split","phaseCount":2}])"),
        envoy::parse::meters(R"([
            {"eid":704643328,"state":"enabled","measurementType":"production","phaseCount":2},
            {"eid":704643584,"state":"disabled","measurementType":"net-consumption","phaseCount":3}])"),
        model::MeterConfigs{},
    };
    return configs[selector % (sizeof configs / sizeof configs[0])];
}

}  // namespace fuzz
