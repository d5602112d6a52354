// fuzz: /info (XML) through info().
#include "FuzzSupport.hpp"
#include "envoy/parsers/Info.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text = fuzz::as_text(data, size);
    try {
        (void)envoy::parse::info(text);
    } catch (const envoy::parse::ParseError&) {
    }
    return 0;
}
