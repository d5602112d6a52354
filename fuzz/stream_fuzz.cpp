// fuzz: /stream/meter bytes through StreamDecoder (chunked at fuzzer-chosen points, small event
// limit) and every decoded event through stream_event().
#include <algorithm>

#include "FuzzSupport.hpp"
#include "envoy/parsers/Stream.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 2) return 0;
    const model::MeterConfigs& config = fuzz::meter_config(data[0]);
    const std::size_t chunk_size = 1 + data[1] % 97;  // varies where lines and events are split
    std::string_view rest = fuzz::as_text(data + 2, size - 2);

    envoy::parse::StreamDecoder decoder(512);
    const auto on_event = [&](std::string_view event) {
        try {
            (void)envoy::parse::stream_event(event, config);
        } catch (const envoy::parse::ParseError&) {
        }
    };
    while (!rest.empty()) {
        const std::string_view chunk = rest.substr(0, std::min(chunk_size, rest.size()));
        rest.remove_prefix(chunk.size());
        try {
            decoder.feed(chunk, on_event);
        } catch (const envoy::parse::ParseError&) {
        }
    }
    decoder.reset();
    return 0;
}
