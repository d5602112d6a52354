// tests/unit/parsers: Server-Sent Events framing of /stream/meter and the meaning of one event.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "ErrorAssert.hpp"
#include "TestFiles.hpp"
#include "envoy/parsers/Stream.hpp"

namespace {

using envoy::parse::StreamDecoder;
using envoy::parse::stream_event;
using model::MeasurementType;

std::vector<std::string> feed_all(StreamDecoder& decoder, std::string_view chunk) {
    std::vector<std::string> events;
    decoder.feed(chunk, [&](std::string_view data) { events.emplace_back(data); });
    return events;
}

TEST(StreamDecoder, SeveralEventsInOneChunk) {
    StreamDecoder decoder;
    const auto events = feed_all(decoder, "data: {\"a\":1}\n\ndata: {\"b\":2}\n\ndata: {\"c\"");
    EXPECT_EQ(events, (std::vector<std::string>{"{\"a\":1}", "{\"b\":2}"}));
    EXPECT_EQ(feed_all(decoder, ":3}\n\n"), std::vector<std::string>{"{\"c\":3}"});
}

TEST(StreamDecoder, EventSplitAtEveryBytePosition) {
    for (const std::string eol : {"\n", "\r\n", "\r"}) {
        const std::string stream = ": hello" + eol + "data: {\"p\":1}" + eol + eol + "event: x" + eol + "data:{\"p\":2}" +
                                   eol + eol;
        for (std::size_t split = 0; split <= stream.size(); ++split) {
            SCOPED_TRACE("eol " + std::to_string(eol.size()) + " split at " + std::to_string(split));
            StreamDecoder decoder;
            auto events = feed_all(decoder, std::string_view(stream).substr(0, split));
            const auto rest = feed_all(decoder, std::string_view(stream).substr(split));
            events.insert(events.end(), rest.begin(), rest.end());
            EXPECT_EQ(events, (std::vector<std::string>{"{\"p\":1}", "{\"p\":2}"}));
        }
    }
}

TEST(StreamDecoder, ByteByByte) {
    const std::string stream = parsers_test::handmade("stream_3phase.sse");
    StreamDecoder decoder;
    std::vector<std::string> events;
    for (const char c : stream) {
        decoder.feed(std::string_view(&c, 1), [&](std::string_view data) { events.emplace_back(data); });
    }
    ASSERT_EQ(events.size(), 3u);
    EXPECT_TRUE(events[0].starts_with("{\"production\":{\"ph-a\":{\"p\":1021.5"));
    EXPECT_TRUE(events[2].ends_with("}}}"));
}

TEST(StreamDecoder, CrLfAndMultiLineData) {
    StreamDecoder decoder;
    const auto events = feed_all(decoder, "data: {\"a\":\r\ndata:  1}\r\nid: 7\r\nretry: 10\r\n\r\n");
    EXPECT_EQ(events, std::vector<std::string>{"{\"a\":\n 1}"});
}

TEST(StreamDecoder, CommentsAndEventsWithoutDataAreNotDelivered) {
    StreamDecoder decoder;
    EXPECT_TRUE(feed_all(decoder, ": keep-alive\n\nevent: ping\n\n\n\n").empty());
    EXPECT_EQ(feed_all(decoder, "data\n\n"), std::vector<std::string>{""});
}

TEST(StreamDecoder, OversizeEventThrowsAndDecoderRecovers) {
    StreamDecoder decoder(1024);
    const std::string big = "data: " + std::string(2000, 'x') + "\n\n";
    EXPECT_PARSE_ERROR(feed_all(decoder, big), "/stream/meter", "larger than 1024 bytes");
    EXPECT_EQ(feed_all(decoder, "data: {\"ok\":1}\n\n"), std::vector<std::string>{"{\"ok\":1}"});

    // Events after the oversize one in the same chunk are still delivered, then it throws.
    std::vector<std::string> events;
    EXPECT_PARSE_ERROR(decoder.feed("data: a\n\n" + big + "data: b\n\n",
                                    [&](std::string_view d) { events.emplace_back(d); }),
                       "larger than 1024 bytes");
    EXPECT_EQ(events, (std::vector<std::string>{"a", "b"}));
}

TEST(StreamDecoder, OversizeEventAcrossChunks) {
    StreamDecoder decoder(1024);
    std::vector<std::string> events;
    const auto collect = [&](std::string_view d) { events.emplace_back(d); };
    int errors = 0;
    for (int i = 0; i < 20; ++i) {  // multi-line data: the limit holds for the whole event
        try {
            decoder.feed("data: " + std::string(100, 'y') + "\n", collect);
        } catch (const envoy::parse::ParseError&) {
            ++errors;
        }
    }
    EXPECT_EQ(errors, 1);
    // The rest of the oversize event is dropped up to its blank line, then decoding resumes.
    decoder.feed("data: tail\n\n", collect);
    decoder.feed("data: next\n\n", collect);
    EXPECT_EQ(events, std::vector<std::string>{"next"});

    // One line longer than the limit, split over many chunks.
    events.clear();
    errors = 0;
    for (int i = 0; i < 30; ++i) {
        try {
            decoder.feed(i == 0 ? "data: " : std::string(100, 'z'), collect);
        } catch (const envoy::parse::ParseError&) {
            ++errors;
        }
    }
    decoder.feed("\n\ndata: after\n\n", collect);
    EXPECT_EQ(errors, 1);
    EXPECT_EQ(events, std::vector<std::string>{"after"});
}

TEST(StreamDecoder, ResetDropsPartialEvent) {
    StreamDecoder decoder;
    EXPECT_TRUE(feed_all(decoder, "data: {\"half\"").empty());
    decoder.reset();
    EXPECT_EQ(feed_all(decoder, "data: 1\n\n"), std::vector<std::string>{"1"});
}

// --- stream_event ------------------------------------------------------------------------------

const model::MeterConfigs kThreePhase = {{1, true, MeasurementType::Production, 3},
                                         {2, true, MeasurementType::NetConsumption, 3}};

std::vector<std::string> handmade_events() {
    StreamDecoder decoder;
    return feed_all(decoder, parsers_test::handmade("stream_3phase.sse"));
}

TEST(StreamEvent, ThreePhaseEvent) {
    const auto s = stream_event(handmade_events()[0], kThreePhase);
    EXPECT_EQ(s.source, model::Source::Stream);
    ASSERT_TRUE(s.pv.present);
    EXPECT_EQ(s.pv.phase_count, 3);
    EXPECT_EQ(s.pv.phases[0].power, 1021.5);
    EXPECT_EQ(s.pv.phases[0].reactive_power, -25.1);
    EXPECT_EQ(s.pv.phases[0].apparent_power, 1035.2);
    EXPECT_EQ(s.pv.phases[0].voltage, 231.2);
    EXPECT_EQ(s.pv.phases[0].current, 4.47);
    EXPECT_EQ(s.pv.phases[0].power_factor, 0.99);
    EXPECT_EQ(s.pv.phases[0].frequency, 50.01);
    EXPECT_EQ(s.pv.total.power, 1021.5 + 1010.25 + 998.0);
    EXPECT_NEAR(*s.pv.total.voltage, (231.2 + 232.4 + 230.6) / 3, 1e-9);
    ASSERT_TRUE(s.grid.present);
    EXPECT_EQ(s.grid.total.power, -700.5 - 650.0 + 150.0);
    ASSERT_TRUE(s.consumption.present);  // the gateway's own total-consumption, not derived
    EXPECT_EQ(s.consumption.phases[2].power, 1148.0);
    EXPECT_EQ(s.consumption.phases[2].current, 5.1);
    EXPECT_FALSE(s.pv.total.energy_forward);
}

TEST(StreamEvent, NightNoiseIsClamped) {
    const auto s = stream_event(handmade_events()[2], kThreePhase);
    EXPECT_EQ(s.pv.total.power, 0.0);
    EXPECT_EQ(s.pv.phases[1].power, 0.0);
    EXPECT_EQ(s.pv.phases[1].current, 0.0);
    EXPECT_EQ(s.pv.phases[1].voltage, 229.5);
    EXPECT_EQ(s.grid.total.power, 600.0);
}

TEST(StreamEvent, OnePhaseFromConfig) {
    const model::MeterConfigs config = {{1, true, MeasurementType::Production, 1},
                                        {2, true, MeasurementType::NetConsumption, 1}};
    const auto s = stream_event(parsers_test::handmade("stream_event_1phase.json"), config);
    EXPECT_EQ(s.pv.phase_count, 1);
    EXPECT_EQ(s.pv.total.power, 2450.5);
    EXPECT_EQ(s.pv.phases[1], model::PhaseValues{});
    EXPECT_EQ(s.grid.phase_count, 1);
    EXPECT_EQ(s.grid.total.power, -1800.25);
    EXPECT_EQ(s.consumption.phase_count, 1);  // total-consumption takes the consumption CT's config
    EXPECT_EQ(s.consumption.total.power, 650.25);
    EXPECT_EQ(s.consumption.total.voltage, 241.5);
}

TEST(StreamEvent, OnePhaseWithoutConfigUsesLivePhases) {
    const auto s = stream_event(parsers_test::handmade("stream_event_1phase.json"), {});
    EXPECT_EQ(s.pv.phase_count, 1);
    EXPECT_EQ(s.grid.phase_count, 1);
    EXPECT_EQ(s.consumption.phase_count, 1);
    EXPECT_EQ(s.pv.total.voltage, 241.5);
    const auto three = stream_event(handmade_events()[1], {});
    EXPECT_EQ(three.pv.phase_count, 3);
    EXPECT_EQ(three.pv.total.power, 3000.0);
    const auto dead = stream_event(R"({"production":{"ph-a":{"p":0,"v":1},"ph-b":{"p":0,"v":2}}})", {});
    EXPECT_EQ(dead.pv.phase_count, 1);
    EXPECT_FALSE(dead.grid.present);
}

TEST(StreamEvent, DisabledMetersAreIgnored) {
    const model::MeterConfigs config = {{1, true, MeasurementType::Production, 3},
                                        {2, false, MeasurementType::NetConsumption, 3}};
    const auto s = stream_event(handmade_events()[0], config);
    EXPECT_TRUE(s.pv.present);
    EXPECT_FALSE(s.grid.present);
    EXPECT_FALSE(s.consumption.present);
    const model::MeterConfigs no_pv = {{1, false, MeasurementType::Production, 3},
                                       {2, true, MeasurementType::NetConsumption, 3}};
    const auto t = stream_event(handmade_events()[0], no_pv);
    EXPECT_FALSE(t.pv.present);
    EXPECT_TRUE(t.grid.present);
    EXPECT_TRUE(t.consumption.present);
}

TEST(StreamEvent, MissingPhaseAndWrongTypesAreUnknown) {
    const auto s = stream_event(R"({"production":{"ph-a":{"p":"100.5","v":null,"i":"x"}}})", {});
    ASSERT_TRUE(s.pv.present);
    EXPECT_EQ(s.pv.phases[0].power, 100.5);
    EXPECT_FALSE(s.pv.phases[0].voltage);
    EXPECT_FALSE(s.pv.phases[0].current);
    EXPECT_FALSE(s.pv.phases[0].frequency);
}

// The event is read without a document; it must mean what a parsed document would.
TEST(StreamEvent, RepeatedKeysReplaceTheEarlierValueWhole) {
    const auto s = stream_event(R"({"production":{"ph-a":{"p":7,"v":230},"ph-a":{"i":2}},)"
                                R"("net-consumption":{"ph-a":{"p":100,"v":230}},"net-consumption":null})",
                                {});
    ASSERT_TRUE(s.pv.present);
    EXPECT_FALSE(s.pv.phases[0].power);  // the second "ph-a" has no p
    EXPECT_EQ(s.pv.phases[0].current, 2.0);
    EXPECT_FALSE(s.grid.present);  // the last net-consumption is null
    const auto t = stream_event(R"({"production":{"ph-a":{"p":7,"p":"8.5","v":230,"v":[1]}}})", {});
    EXPECT_EQ(t.pv.phases[0].power, 8.5);
    EXPECT_FALSE(t.pv.phases[0].voltage);
}

TEST(StreamEvent, UnknownAndNestedContentIsSkipped) {
    const auto s = stream_event(R"({"x":{"production":{"ph-a":{"p":1}}},"production":{"ph-a":{"p":1500,"v":230,)"
                                R"("extra":[{"p":2,"v":{"ph-a":[[[{"p":3}]]]}}],"f":{"p":4}},"ph-d":{"p":9},)"
                                R"("ph-b":[1,2],"ph-c":"x"},"total-consumption":{"ph-a":{"p":{}}}})",
                                kThreePhase);
    EXPECT_EQ(s.pv.phases[0].power, 1500.0);
    EXPECT_EQ(s.pv.phases[0].voltage, 230.0);
    EXPECT_FALSE(s.pv.phases[0].frequency);
    EXPECT_EQ(s.pv.phases[1], model::PhaseValues{});
    EXPECT_EQ(s.pv.phases[2], model::PhaseValues{});
    ASSERT_TRUE(s.consumption.present);
    EXPECT_FALSE(s.consumption.phases[0].power);
}

TEST(StreamEvent, BrokenInput) {
    EXPECT_PARSE_ERROR(stream_event("", kThreePhase), "/stream/meter", "empty");
    EXPECT_PARSE_ERROR(stream_event("[]", kThreePhase), "/stream/meter: expected an object");
    EXPECT_PARSE_ERROR(stream_event("{\"production\":{\"ph-a\":", kThreePhase), "/stream/meter", "not valid JSON");
    EXPECT_PARSE_ERROR(stream_event("{\"production\": 5}", kThreePhase), "/stream/meter", "production");
    EXPECT_PARSE_ERROR(stream_event("{\"net-consumption\": [], \"production\": \"x\"}", kThreePhase),
                       "/stream/meter: production: expected an object");
    EXPECT_PARSE_ERROR(stream_event("{\"production\":{}} x", kThreePhase), "not valid JSON (error at byte 19 of 19)");
    EXPECT_PARSE_ERROR(stream_event("{\"production\":{\"ph-a\":{\"p\":1e999}}}", kThreePhase),
                       "/stream/meter: not valid JSON");
    EXPECT_PARSE_ERROR(stream_event("<html>error</html>", kThreePhase), "/stream/meter", "HTML");
    const auto none = stream_event("{}", kThreePhase);
    EXPECT_FALSE(none.pv.present);
    EXPECT_FALSE(none.grid.present);
}

}  // namespace
