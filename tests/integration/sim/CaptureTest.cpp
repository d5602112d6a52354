// tests/integration/sim: serving capture folders (file mapping, status codes, query mapping,
// generated inventory and events) and refusing bad command lines.
#include "SimHarness.hpp"

#include <gtest/gtest.h>

using namespace simtest;
using testsupport::read_file;

TEST(SimCapture, MissingFileIs404AndStatusComesFromLogJson) {
    auto sim = launch_simulator({"--capture", capture("4.10.35")});
    ASSERT_TRUE(sim.ready()) << sim.process->output();
    EXPECT_EQ(sim.url.rfind("http://127.0.0.1:", 0), 0u) << sim.url;

    EXPECT_EQ(get(sim.url + "/no/such/endpoint").status, 404);
    EXPECT_EQ(get(sim.url + "/ivp/ensemble/inventory").status, 404);  // file present, log says 404

    auto production = get(sim.url + "/production");  // captured with status 401
    EXPECT_EQ(production.status, 401);
    EXPECT_EQ(production.body, read_file(capture("4.10.35/production")));

    auto inverters = get(sim.url + "/api/v1/production/inverters");
    EXPECT_EQ(inverters.status, 200);
    EXPECT_EQ(inverters.body, read_file(capture("4.10.35/api_v1_production_inverters")));
    EXPECT_NE(inverters.header("Content-Type").find("json"), std::string::npos);

    auto info = get(sim.url + "/info");
    EXPECT_EQ(info.status, 200);
    EXPECT_NE(info.header("Content-Type").find("xml"), std::string::npos);
    EXPECT_NE(info.body.find("<sn>121938119871</sn>"), std::string::npos);
}

TEST(SimCapture, DetailsQueryPrefersTheDetailsFile) {
    // 8.3.5169 has both production.json and production.json_details_1; pre7 avoids auth here.
    auto sim = launch_simulator({"--capture", capture("8.3.5169_ACB_inventory"), "--firmware", "pre7"});
    ASSERT_TRUE(sim.ready()) << sim.process->output();
    EXPECT_EQ(sim.url.rfind("http://", 0), 0u);
    auto details = get(sim.url + "/production.json?details=1");
    EXPECT_EQ(details.status, 200);
    EXPECT_EQ(details.body, read_file(capture("8.3.5169_ACB_inventory/production.json_details_1")));
    auto plain = get(sim.url + "/production.json");
    EXPECT_EQ(plain.body, read_file(capture("8.3.5169_ACB_inventory/production.json")));
    EXPECT_NE(details.body, plain.body);
    // Captured inventory: /inventory.json answers the "inventory" file unchanged.
    auto inventory = get(sim.url + "/inventory.json");
    EXPECT_EQ(inventory.status, 200);
    EXPECT_EQ(inventory.body, read_file(capture("8.3.5169_ACB_inventory/inventory")));
    auto deleted = get(sim.url + "/inventory.json?deleted=1");
    EXPECT_EQ(deleted.body, read_file(capture("8.3.5169_ACB_inventory/inventory.json_deleted_1")));
}

TEST(SimCapture, DetailsQueryFallsBackToProductionJson) {
    auto sim = launch_simulator({"--capture", capture("4.10.35")});
    ASSERT_TRUE(sim.ready());
    auto details = get(sim.url + "/production.json?details=1");
    EXPECT_EQ(details.status, 200);
    EXPECT_EQ(details.body, read_file(capture("4.10.35/production.json")));
}

TEST(SimCapture, GeneratesInventoryAndEventsFromInverters) {
    auto sim = launch_simulator({"--capture", capture("4.10.35")});
    ASSERT_TRUE(sim.ready());
    auto inverters = nlohmann::json::parse(read_file(capture("4.10.35/api_v1_production_inverters")));
    auto inventory = nlohmann::json::parse(get(sim.url + "/inventory.json").body);
    ASSERT_TRUE(inventory.is_array());
    ASSERT_EQ(inventory[0]["type"], "PCU");
    const auto& devices = inventory[0]["devices"];
    ASSERT_EQ(devices.size(), inverters.size());
    for (std::size_t i = 0; i < devices.size(); ++i) {
        EXPECT_EQ(devices[i]["serial_num"], inverters[i]["serialNumber"]);
        EXPECT_TRUE(devices[i]["communicating"].get<bool>());
        EXPECT_TRUE(devices[i]["device_status"].is_array());
    }

    auto events = get(sim.url + "/datatab/event_dt.rb?start=0&length=5");
    EXPECT_EQ(events.status, 200);
    auto j = nlohmann::json::parse(events.body);
    ASSERT_EQ(j["aaData"].size(), 5u);
    EXPECT_GE(j["iTotalRecords"].get<int>(), 5);
    for (std::size_t i = 1; i < j["aaData"].size(); ++i) {  // newest first: ids decrease
        EXPECT_LT(j["aaData"][i][0].get<long>(), j["aaData"][i - 1][0].get<long>());
        EXPECT_EQ(j["aaData"][i].size(), 5u);
    }
}

TEST(SimCapture, BadCommandLinesFailWithAClearMessage) {
    int code = 0;
    auto out = run_sim({"--capture", capture("does-not-exist")}, &code);
    EXPECT_NE(code, 0);
    EXPECT_NE(out.find("does-not-exist"), std::string::npos) << out;

    out = run_sim({"--capture", capture("4.10.35"), "--fail", "/x=abc"}, &code);
    EXPECT_EQ(code, 2);
    EXPECT_NE(out.find("fail needs PATH=CODE"), std::string::npos) << out;

    out = run_sim({"--help"}, &code);
    EXPECT_EQ(code, 0);
    for (const char* flag : {"--capture", "--port", "--firmware", "--jwt-key", "--make-token", "--token-exp",
                             "--token-serial", "--stream-interval-ms", "--stall-after", "--close-after", "--fail",
                             "--malformed", "--delay-ms", "--log-samples", "/__sim/fault"}) {
        EXPECT_NE(out.find(flag), std::string::npos) << flag;
    }
}
