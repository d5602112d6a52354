// fuzz: /production.json through production_json().
#include "FuzzSupport.hpp"
#include "envoy/parsers/Production.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text = fuzz::as_text(data, size);
    try {
        (void)envoy::parse::production_json(text);
    } catch (const envoy::parse::ParseError&) {
    }
    return 0;
}
