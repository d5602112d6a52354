// fuzz: /ivp/meters/readings through readings() under each meter configuration.
#include "FuzzSupport.hpp"
#include "envoy/parsers/Meters.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text = fuzz::as_text(data, size);
    for (std::uint8_t selector = 0; selector < 4; ++selector) {
        try {
            (void)envoy::parse::readings(text, fuzz::meter_config(selector));
        } catch (const envoy::parse::ParseError&) {
            return 0;  // not a readings document: the configuration makes no difference
        }
    }
    return 0;
}
