// envoy/parsers: /stream/meter: Server-Sent Events framing (StreamDecoder) and one event's JSON.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "envoy/parsers/ParseError.hpp"
#include "model/Gateway.hpp"
#include "model/Snapshot.hpp"

namespace envoy::parse {

// Splits a text/event-stream byte stream into events. Lines end with "\n", "\r\n" or "\r" (also
// split across chunks); a blank line ends an event; "data:" lines (one leading space dropped)
// are joined with "\n"; comment lines (":...") and other fields are ignored; an event without
// data is not delivered. Buffers are reused between events.
class StreamDecoder {
public:
    static constexpr std::size_t kDefaultMaxEventBytes = 64 * 1024;

    explicit StreamDecoder(std::size_t max_event_bytes = kDefaultMaxEventBytes);

    // Calls on_event(std::string_view data) once per complete event in chunk, in order. The view
    // is valid only during the call. An event larger than the limit is dropped (up to its blank
    // line, also across chunks); the rest of the chunk is still decoded and then ParseError is
    // thrown ("/stream/meter: event larger than N bytes"). If on_event throws, the exception
    // propagates and the rest of the chunk is dropped: call reset() before feeding more.
    template <class F>
    void feed(std::string_view chunk, F&& on_event) {
        std::optional<ParseError> oversize;
        for (;;) {
            std::optional<std::string_view> event;
            try {
                event = next(chunk);
            } catch (const ParseError& error) {
                if (!oversize) oversize = error;
                continue;  // the decoder now skips the oversize event, so this makes progress
            }
            if (!event) break;
            on_event(*event);
        }
        if (oversize) throw *oversize;
    }

    // Forgets any partial line or event (e.g. after a reconnect).
    void reset();

    // Consumes bytes from the front of chunk up to and including the end of the next complete
    // event and returns its data (valid until the next call); nullopt once chunk is used up.
    // On an oversize event it throws ParseError and leaves chunk where it was; calling it again
    // with the same chunk skips the rest of that event.
    std::optional<std::string_view> next(std::string_view& chunk);

private:
    void append_line(std::string_view part);
    void line_complete(std::string_view line, bool& dispatch);
    void check_size(std::size_t buffered, std::size_t extra);

    std::size_t max_bytes_;
    std::string line_;          // the current, incomplete line
    std::string data_;          // data of the current event
    bool has_data_ = false;     // a data field was seen (even an empty one)
    bool delivered_ = false;    // data_ was returned by next() and must be cleared
    bool after_cr_ = false;     // the previous byte was '\r': a following '\n' belongs to it
    bool skipping_ = false;     // after an oversize event: ignore lines up to the next blank one
};

// One /stream/meter event {"production":{"ph-a":{p,q,s,v,i,pf,f},...},"net-consumption":...,
// "total-consumption":...} -> Snapshot (source Stream), finish() applied.
// Which meters count: with a configuration, "production" needs an enabled production meter and
// "net-consumption" and "total-consumption" both come from the one consumption CT, so each needs
// an enabled meter of its own type or, failing that, of the other consumption type (the gateway
// computes the other one); the meter's phaseCount limits its phases. A disabled CT hides the
// meter. With an empty configuration (old firmware without /ivp/meters) every meter in the event
// is used, up to three phases. Of those phases, the ones up to the last that carries data count
// (phases_with_data). The stream has no totals: they are the sums over the phases. Throws
// ParseError when the event is not a JSON object or a meter is not an object.
model::Snapshot stream_event(std::string_view json, const model::MeterConfigs& config);

}  // namespace envoy::parse
