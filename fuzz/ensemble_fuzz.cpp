// fuzz: the battery endpoints (/ivp/ensemble/inventory, /power, /secctrl and production.json's
// AC Battery entry) through their parsers, and what they give through battery_total().
#include "FuzzSupport.hpp"
#include "envoy/BatteryTotal.hpp"
#include "envoy/parsers/Ensemble.hpp"
#include "envoy/parsers/ParseError.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text = fuzz::as_text(data, size);
    model::Batteries batteries;
    try {
        batteries.units = envoy::parse::ensemble_inventory(text);
    } catch (const envoy::parse::ParseError&) {
    }
    try {
        envoy::parse::ensemble_power(text, batteries.units);
    } catch (const envoy::parse::ParseError&) {
    }
    try {
        batteries.aggregate = envoy::parse::ensemble_secctrl(text);
    } catch (const envoy::parse::ParseError&) {
    }
    try {
        batteries.acb = envoy::parse::ac_battery(text);
    } catch (const envoy::parse::ParseError&) {
    }
    (void)envoy::battery_total(batteries, model::MeterValues{});
    return 0;
}
