// fuzz: one /stream/meter event's JSON through stream_event() under each meter configuration.
#include "FuzzSupport.hpp"
#include "envoy/parsers/Stream.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text = fuzz::as_text(data, size);
    for (std::uint8_t selector = 0; selector < 4; ++selector) {
        try {
            (void)envoy::parse::stream_event(text, fuzz::meter_config(selector));
        } catch (const envoy::parse::ParseError&) {
            return 0;  // the shape is rejected before the configuration matters
        }
    }
    return 0;
}
