// tests/unit/parsers: every capture's endpoints through the pure parsers, composed as the
// capture's golden.json says the driver reads it (its "polled" source), against golden.json
// (written from the capture files by tests/data/envoy/make_golden.py, not by the driver). The
// integration test tests/integration/golden checks the same figures end to end, with the
// source chosen by the client and the energy counters the daemon publishes.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "GoldenFile.hpp"
#include "TestFiles.hpp"
#include "envoy/parsers/Parsers.hpp"
#include "mqtt/Encoders.hpp"

namespace {

using namespace envoy::parse;
using parsers_test::capture;
using parsers_test::has_capture;

// production.json as the client asks for it (?details=1), where the capture has it as JSON.
std::optional<model::ProductionSummary> summary_of(const std::string& folder) {
    for (const char* file : {"production.json_details_1", "production.json"}) {
        if (!has_capture(folder, file)) continue;
        try {
            return production_json(capture(folder, file));
        } catch (const ParseError&) {
            return std::nullopt;  // old firmware answers HTML
        }
    }
    return std::nullopt;
}

model::Snapshot polled(const std::string& folder, const std::string& source) {
    const auto summary = summary_of(folder);
    if (source == "readings") {
        auto s = readings(capture(folder, "ivp_meters_readings"), meters(capture(folder, "ivp_meters")));
        if (summary) add_inverters_pv(s, *summary);
        return s;
    }
    if (source == "production.json") return from_production(*summary);
    const bool metered = info(capture(folder, "info")).metering_board.value_or(false);
    if (summary && summary->inverters_power && (metered || !has_capture(folder, "api_v1_production"))) {
        return from_inverters(*summary);
    }
    return from_inverters(api_v1_production(capture(folder, "api_v1_production")));
}

class GoldenParsers : public ::testing::TestWithParam<std::string> {};

TEST_P(GoldenParsers, PolledSnapshotHasTheGoldenFigures) {
    const auto expected = golden::load(GetParam())["polled"];
    const auto snapshot = polled(GetParam(), expected["source"].get<std::string>());
    EXPECT_EQ(model::to_string(snapshot.source), expected["source"].get<std::string>());
    const auto published = nlohmann::json::parse(mqtt::encode_meters(snapshot));
    EXPECT_EQ(golden::compare_meters(published, expected, false), "") << published.dump();
}

INSTANTIATE_TEST_SUITE_P(EveryCapture, GoldenParsers, ::testing::ValuesIn(golden::captures()),
                         [](const auto& info) {
                             std::string name = info.param;
                             for (char& c : name) {
                                 if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
                             }
                             return name;
                         });

}  // namespace
