// Integration: `dbus-enphase-envoy --capture DIR` against the simulator, then `envoy-sim
// --capture DIR` replaying it: the replay gives the same figures, the folder has the format of
// tests/data/envoy, and nothing that identifies the site survives (serials, the token, e-mail,
// IP and MAC addresses planted in the gateway's answers).
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>

#include "Harness.hpp"

using namespace testsupport;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

constexpr const char* kSource = "8.3.5169_ACB_inventory";
const char* const kPlanted[] = {"jane.doe@example.org", "192.168.178.23", "2a02:810d:4b3f::1c", "a4:5e:60:d2:11:0f"};

// The capture plus an events page that names an e-mail, IP and MAC addresses, as event messages
// and a site's data can.
std::string planted_copy(const TempDir& dir) {
    const std::string copy = dir.file("source");
    fs::copy(test_data(std::string("envoy/") + kSource), copy);
    json events = {{"aaData",
                    json::array({json::array({2, std::string("Owner ") + kPlanted[0] + " logged in from " + kPlanted[1] +
                                                     " / " + kPlanted[2],
                                              "122035000000", "Envoy", "Thu Nov 03, 2022 07:12 AM CET"}),
                                 json::array({1, std::string("Network interface ") + kPlanted[3] + " up", "122013000000",
                                              "PCU", "Thu Nov 03, 2022 07:10 AM CET"})})},
                   {"iTotalRecords", 2}};
    write_file(copy + "/datatab_event_dt.rb", events.dump());
    return copy;
}

std::set<std::string> original_serials(const std::string& capture) {
    std::set<std::string> serials = {"122035000000"};  // /info <sn>
    for (const auto& inverter : json::parse(read_file(capture + "/api_v1_production_inverters"))) {
        serials.insert(inverter["serialNumber"].get<std::string>());
    }
    for (const auto& group : json::parse(read_file(capture + "/inventory"))) {
        for (const auto& device : group["devices"]) serials.insert(device["serial_num"].get<std::string>());
    }
    return serials;
}

std::string once_output(const std::string& capture) {
    auto sim = start_simulator(capture, {"--static"});
    TempDir dir;
    auto config = write_config(dir, sim.address(), "token = " + make_token(capture, "owner") + "\n");
    Process once(daemon_command(config, {"--once"}));
    auto code = once.wait_exit(60s);
    EXPECT_EQ(code.value_or(-1), 0) << once.output();
    auto start = once.output().find("{\"pv\"");
    if (start == std::string::npos) return "no meters JSON: " + once.output();
    return once.output().substr(start, once.output().find('\n', start) - start);
}

TEST(Capture, RecordsRedactsAndReplays) {
    TempDir dir;
    const std::string source = planted_copy(dir);
    const std::string recorded = dir.file("recorded");
    auto sim = start_simulator(source, {"--static", "--no-dpel"});  // a gateway without /ivp/ss/dpel
    const std::string token = make_token(source, "owner");
    auto config = write_config(dir, sim.address(), "token = " + token + "\n");
    Process capture(daemon_command(config, {"--capture", recorded}));
    auto code = capture.wait_exit(120s);
    ASSERT_TRUE(code.has_value()) << capture.output();
    ASSERT_EQ(*code, 0) << capture.output();
    EXPECT_NE(capture.output().find("endpoints recorded into " + recorded), std::string::npos) << capture.output();

    // The format of tests/data/envoy: one file per endpoint and its status.
    for (const char* file : {"info", "production.json_details_1", "api_v1_production", "api_v1_production_inverters",
                             "ivp_meters", "ivp_meters_readings", "inventory.json", "datatab_event_dt.rb",
                             "ivp_ensemble_inventory"}) {
        EXPECT_TRUE(fs::exists(recorded + "/" + file)) << file;
        ASSERT_TRUE(fs::exists(recorded + "/" + file + "_log.json")) << file;
        EXPECT_EQ(json::parse(read_file(recorded + "/" + file + "_log.json"))["code"], 200) << file;
    }
    // An endpoint the gateway does not have: its status, no body.
    ASSERT_TRUE(fs::exists(recorded + "/ivp_ss_dpel_log.json"));
    EXPECT_EQ(json::parse(read_file(recorded + "/ivp_ss_dpel_log.json"))["code"], 404);
    EXPECT_FALSE(fs::exists(recorded + "/ivp_ss_dpel"));

    // Nothing identifying survives, in any file.
    std::set<std::string> secrets = original_serials(source);
    secrets.insert(token);
    secrets.insert(token.substr(token.find('.') + 1, 20));  // part of the payload
    for (const char* planted : kPlanted) secrets.insert(planted);
    for (const auto& entry : fs::directory_iterator(recorded)) {
        const std::string text = read_file(entry.path().string());
        for (const auto& secret : secrets) {
            EXPECT_EQ(text.find(secret), std::string::npos) << secret << " in " << entry.path().filename();
        }
    }
    // The same fake serial everywhere: the replay's inverters are the inventory's.
    std::set<std::string> inverters, inventory;
    for (const auto& inverter : json::parse(read_file(recorded + "/api_v1_production_inverters"))) {
        inverters.insert(inverter["serialNumber"].get<std::string>());
    }
    for (const auto& group : json::parse(read_file(recorded + "/inventory.json"))) {
        if (group["type"] != "PCU") continue;
        for (const auto& device : group["devices"]) inventory.insert(device["serial_num"].get<std::string>());
    }
    EXPECT_EQ(inverters.size(), 5u);
    EXPECT_TRUE(std::includes(inverters.begin(), inverters.end(), inventory.begin(), inventory.end()));
    const std::string info = read_file(recorded + "/info");
    std::smatch serial;
    ASSERT_TRUE(std::regex_search(info, serial, std::regex("<sn>([A-Za-z0-9]{1,32})</sn>"))) << info;
    const std::string events = read_file(recorded + "/datatab_event_dt.rb");
    EXPECT_NE(events.find("@example.com"), std::string::npos) << events;
    EXPECT_NE(events.find("192.0.2."), std::string::npos) << events;
    EXPECT_NE(events.find("2001:db8::"), std::string::npos) << events;
    EXPECT_NE(events.find("02:00:00:00:"), std::string::npos) << events;
    EXPECT_NE(events.find(serial[1].str()), std::string::npos) << "the gateway's events keep its (fake) serial";

    // Replayed, the capture gives what the gateway gave.
    EXPECT_EQ(once_output(recorded), once_output(source));
}

TEST(Capture, RefusesAFolderThatIsNotEmpty) {
    TempDir dir;
    write_file(dir.file("something"), "x");
    auto config = write_config(dir, "127.0.0.1:1");
    Process capture(daemon_command(config, {"--capture", dir.path()}));
    auto code = capture.wait_exit(30s);
    ASSERT_TRUE(code.has_value());
    EXPECT_EQ(*code, 2);
    EXPECT_NE(capture.output().find("is not an empty folder"), std::string::npos) << capture.output();
}

}  // namespace
