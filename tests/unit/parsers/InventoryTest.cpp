// tests/unit/parsers: /inventory.json (with a Q-Relay) and the /datatab/event_dt.rb event log.
#include <gtest/gtest.h>

#include "ErrorAssert.hpp"
#include "TestFiles.hpp"
#include "envoy/parsers/Inventory.hpp"

namespace {

using envoy::parse::events;
using envoy::parse::inventory;

TEST(Inventory, AllDeviceTypes) {
    const auto d = inventory(parsers_test::handmade("inventory_qrelay.json"));
    ASSERT_EQ(d.inverters.size(), 2u);
    ASSERT_EQ(d.batteries.size(), 1u);
    ASSERT_EQ(d.relays.size(), 1u);
    ASSERT_EQ(d.others.size(), 2u);

    EXPECT_EQ(d.inverters[0].serial, "482301000001");
    EXPECT_EQ(d.inverters[0].last_report, 1700000100);
    EXPECT_TRUE(d.inverters[0].producing);
    EXPECT_EQ(d.inverters[1].last_report, 1700000200);  // a number, not a string
    EXPECT_FALSE(d.inverters[1].producing);
    EXPECT_FALSE(d.inverters[1].operating);
    EXPECT_EQ(d.inverters[1].status.size(), 2u);

    EXPECT_EQ(d.batteries[0].serial, "482302000010");
    EXPECT_EQ(d.batteries[0].part_number, "830-01760-r37");

    const model::Device& relay = d.relays[0];
    EXPECT_EQ(relay.serial, "122303000020");
    EXPECT_EQ(relay.relay, "closed");
    EXPECT_EQ(relay.reason, "ok");
    EXPECT_TRUE(relay.communicating);
    EXPECT_FALSE(relay.producing);

    EXPECT_EQ(d.others[0].serial, "122238000030");
    EXPECT_TRUE(d.others[0].status.empty());
    EXPECT_EQ(d.others[0].last_report, 0);
    EXPECT_EQ(d.others[1].serial, "999");
    EXPECT_TRUE(d.others[1].producing);  // "true" as a string
    EXPECT_FALSE(d.others[1].communicating);
}

TEST(Inventory, BrokenInput) {
    EXPECT_PARSE_ERROR(inventory(""), "/inventory.json", "empty");
    EXPECT_PARSE_ERROR(inventory("{}"), "/inventory.json: expected an array");
    EXPECT_PARSE_ERROR(inventory("[1]"), "/inventory.json", "expected an object");
    EXPECT_PARSE_ERROR(inventory("[{\"type\": \"PCU\", \"devices\": {}}]"), "/inventory.json: devices: expected an array");
    EXPECT_PARSE_ERROR(inventory("[{\"type\": \"PCU\", \"devices\": [{\"part_num\": \"x\"}]}]"), "/inventory.json",
                       "serial_num");
    EXPECT_PARSE_ERROR(inventory("[{\"type\": \"PCU\", \"devices\": [{\"serial_num\""), "not valid JSON");
    const auto empty = inventory("[{\"type\": \"NSRB\", \"devices\": []}, {\"type\": \"ESUB\"}]");
    EXPECT_EQ(empty, model::Devices{});
}

TEST(Events, Rows) {
    const auto e = events(parsers_test::handmade("event_dt.json"));
    ASSERT_EQ(e.size(), 3u);
    EXPECT_EQ(e[0], (model::Event{1201, "Microinverter failed to report", "482301000002", "pcu",
                                  "Thu Nov 03, 2022 07:12 AM CET"}));
    EXPECT_EQ(e[2].id, 1199);  // id sent as a string
    EXPECT_EQ(e[2].serial, "");
    EXPECT_EQ(e[2].message, "Envoy rebooted");
}

TEST(Events, BrokenInput) {
    EXPECT_PARSE_ERROR(events(""), "/datatab/event_dt.rb", "empty");
    EXPECT_PARSE_ERROR(events("[]"), "/datatab/event_dt.rb: expected an object");
    EXPECT_PARSE_ERROR(events("{}"), "/datatab/event_dt.rb", "aaData");
    EXPECT_PARSE_ERROR(events("{\"aaData\": null}"), "/datatab/event_dt.rb: aaData: expected an array");
    EXPECT_PARSE_ERROR(events("{\"aaData\": [[1, \"m\", \"s\"]]}"), "/datatab/event_dt.rb", "row");
    EXPECT_PARSE_ERROR(events("{\"aaData\": [[\"x\", \"m\", \"s\", \"t\", \"d\"]]}"), "/datatab/event_dt.rb", "id");
    EXPECT_PARSE_ERROR(events("{\"aaData\": [[1, "), "not valid JSON");
    EXPECT_TRUE(events("{\"aaData\": []}").empty());
}

// Found by the events fuzzer: an id far beyond int64 must not be cast (undefined behaviour).
TEST(Events, IdOutOfRangeIsRefused) {
    const std::string huge = R"({"aaData":[[1888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888201,"m","s","t","d"]]})";
    EXPECT_PARSE_ERROR(events(huge), "/datatab/event_dt.rb", "numeric id");
    EXPECT_EQ(events(R"({"aaData":[[3015.0,"m","s","t","d"]]})").at(0).id, 3015);
}

}  // namespace

namespace {

// A hostile answer nests a cell a hundred thousand levels deep: refused before parsing (the
// text of a nested cell is built recursively).
TEST(Events, DeeplyNestedCellsAreRefused) {
    const std::string deep = std::string(100000, '[') + std::string(100000, ']');
    const std::string row = R"({"aaData":[[1,)" + deep + R"(,"s","t","d"]]})";
    EXPECT_PARSE_ERROR(events(row), "/datatab/event_dt.rb", "nested deeper than 64 levels");
    // Brackets inside strings do not count; 64 levels are fine.
    const std::string text = R"({"aaData":[[1,"[[[[[[[[[[{{{{{{{{{{{{{{[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[","s","t","d"]]})";
    EXPECT_EQ(events(text).size(), 1u);
    const std::string allowed = R"({"aaData":[[1,)" + std::string(61, '[') + std::string(61, ']') + R"(,"s","t","d"]]})";
    EXPECT_EQ(events(allowed).at(0).message, std::string(61, '[') + std::string(61, ']'));
}

}  // namespace
