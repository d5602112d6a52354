// fuzz: /ivp/meters (meter configuration) through meters().
#include "FuzzSupport.hpp"
#include "envoy/parsers/Meters.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text = fuzz::as_text(data, size);
    try {
        (void)envoy::parse::meters(text);
    } catch (const envoy::parse::ParseError&) {
    }
    return 0;
}
