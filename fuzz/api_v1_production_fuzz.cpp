// fuzz: /api/v1/production through api_v1_production().
#include "FuzzSupport.hpp"
#include "envoy/parsers/Production.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text = fuzz::as_text(data, size);
    try {
        (void)envoy::parse::api_v1_production(text);
    } catch (const envoy::parse::ParseError&) {
    }
    return 0;
}
