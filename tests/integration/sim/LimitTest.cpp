// tests/integration/sim: the production limit endpoints: storing and answering DPEL settings,
// installer only (owner tokens and missing Digest logins get 401), refused writes, gateways
// without DPEL, the reply delay and the request log.
#include "LimitHarness.hpp"

#include "envoy/parsers/InstallerPassword.hpp"

#include <gtest/gtest.h>

#include <sstream>

using namespace simtest;
using testsupport::send;

namespace {

const std::string kDefaultDpel = dpel_document(false, false, "0.0", "0.0");

std::vector<nlohmann::json> json_lines(const std::string& text) {
    std::vector<nlohmann::json> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) out.push_back(nlohmann::json::parse(line));
    return out;
}

}  // namespace

TEST(SimLimit, InstallerStoresAndReadsBackDpelSettings) {
    auto sim = launch_simulator({"--capture", capture(kLimitFolder)});
    ASSERT_TRUE(sim.ready()) << sim.process->output();
    const Auth installer{token_for(kLimitFolder, "installer")};
    const std::string url = sim.url + kDpel;

    auto initial = get(url, installer);
    EXPECT_EQ(initial.status, 200);
    EXPECT_EQ(initial.body, kDefaultDpel);

    auto written = send("POST", url, dpel_document(true, false, "300", "25"), installer);
    EXPECT_EQ(written.status, 200) << written.body;
    const std::string stored = dpel_document(true, false, "300.0", "25.0");
    EXPECT_EQ(written.body, stored);
    EXPECT_EQ(get(url, installer).body, stored);

    for (const char* bad : {"{", "[]", R"({"enable":true})", R"({"dynamic_pel_settings":{"export_limit":true}})",
                            R"({"dynamic_pel_settings":{"enable":true}})",
                            R"({"dynamic_pel_settings":{"enable":"yes","limit_value_W":1}})",
                            R"({"dynamic_pel_settings":{"enable":true,"limit_value_W":-5}})"}) {
        auto refused = send("POST", url, bad, installer);
        EXPECT_EQ(refused.status, 400) << bad;
        EXPECT_TRUE(nlohmann::json::parse(refused.body).contains("error")) << refused.body;
    }
    EXPECT_EQ(get(url, installer).body, stored);

    auto off = send("POST", url, dpel_document(false, false, "300", "25"), installer);
    EXPECT_EQ(off.status, 200);
    EXPECT_EQ(get(url, installer).body, dpel_document(false, false, "300.0", "25.0"));
}

TEST(SimLimit, OwnerTokenGets401AndChangesNothing) {
    auto sim = launch_simulator({"--capture", capture(kLimitFolder)});
    ASSERT_TRUE(sim.ready());
    const Auth owner{token_for(kLimitFolder, "owner")};
    const Auth installer{token_for(kLimitFolder, "installer")};
    EXPECT_EQ(get(sim.url + kDpel, owner).status, 401);
    EXPECT_EQ(send("POST", sim.url + kDpel, dpel_document(true, false, "100", "0"), owner).status, 401);
    EXPECT_EQ(get(sim.url + kPowerMode, owner).status, 401);
    EXPECT_EQ(send("PUT", sim.url + kPowerMode, R"({"length":1,"arr":[1]})", owner).status, 401);
    EXPECT_EQ(get(sim.url + kDpel).status, 401);  // no token at all

    EXPECT_EQ(get(sim.url + kDpel, installer).body, kDefaultDpel);
    EXPECT_EQ(get(sim.url + kPowerMode, installer).body, R"({"powerForcedOff":false})");
    // The limit's read-only companions come from the capture, for owners too.
    auto pel = get(sim.url + "/ivp/ss/pel_settings", owner);
    EXPECT_EQ(pel.status, 200);
    EXPECT_EQ(pel.body, testsupport::read_file(capture(kLimitFolder + "/ivp_ss_pel_settings")));
    EXPECT_EQ(get(sim.url + "/ivp/sc/pvlimit", owner).body,
              testsupport::read_file(capture(kLimitFolder + "/ivp_sc_pvlimit")));
}

TEST(SimLimit, DigestInstallerWritesOnPre7Authentication) {
    // A firmware 8 capture served as pre-7: plain HTTP and the installer's Digest login.
    const std::string folder = "8.3.5169_ACB_inventory";
    auto sim = launch_simulator({"--capture", capture(folder), "--firmware", "pre7"});
    ASSERT_TRUE(sim.ready());
    const Auth installer{"", "", "installer", envoy::parse::installer_password("122035000000")};
    auto anonymous = get(sim.url + kDpel);
    EXPECT_EQ(anonymous.status, 401);
    EXPECT_NE(anonymous.header("WWW-Authenticate").find("Digest"), std::string::npos);
    EXPECT_EQ(get(sim.url + kDpel, {"", "", "installer", "wrongpw1"}).status, 401);

    EXPECT_EQ(get(sim.url + kDpel, installer).body, kDefaultDpel);
    auto written = send("POST", sim.url + kDpel, dpel_document(true, true, "0", "0"), installer);
    EXPECT_EQ(written.status, 200) << written.body;
    EXPECT_EQ(get(sim.url + kDpel, installer).body, dpel_document(true, true, "0.0", "0.0"));
    auto off = send("PUT", sim.url + kPowerMode, R"({"length":1,"arr":[1]})", installer);
    EXPECT_EQ(off.status, 200);
    EXPECT_EQ(off.body, R"({"powerForcedOff":true})");
}

TEST(SimLimit, RefusingGatewayAnswers503AndKeepsProducing) {
    auto sim = launch_simulator({"--capture", capture(kLimitFolder), "--limit-refuse", "--limit-settle-s", "0"});
    ASSERT_TRUE(sim.ready());
    const Auth installer{token_for(kLimitFolder, "installer")};
    EXPECT_EQ(send("POST", sim.url + kDpel, dpel_document(true, false, "100", "0"), installer).status, 503);
    EXPECT_EQ(send("PUT", sim.url + kPowerMode, R"({"length":1,"arr":[1]})", installer).status, 503);
    EXPECT_EQ(get(sim.url + kDpel, installer).body, kDefaultDpel);
    EXPECT_EQ(get(sim.url + kPowerMode, installer).body, R"({"powerForcedOff":false})");
    auto meters = read_meters(sim.url, installer, SteadyClock::now());
    EXPECT_GT(meters.production, kProductionW * (1 - kSwing));
}

TEST(SimLimit, DpelIsMissingOnFirmware7AndWithNoDpel) {
    const std::string seven = "7.6.175_with_cts_3phase";
    auto old = launch_simulator({"--capture", capture(seven)});
    ASSERT_TRUE(old.ready());
    const Auth old_installer{token_for(seven, "installer")};
    EXPECT_EQ(get(old.url + kDpel, old_installer).status, 404);
    EXPECT_EQ(get(old.url + kDpel).status, 404);  // a path it does not have: 404 before any login
    EXPECT_EQ(send("POST", old.url + kDpel, dpel_document(true, false, "100", "0"), old_installer).status, 404);
    EXPECT_EQ(get(old.url + kPowerMode, old_installer).status, 200);  // forced off exists on firmware 7

    auto flagged = launch_simulator({"--capture", capture(kLimitFolder), "--no-dpel"});
    ASSERT_TRUE(flagged.ready());
    const Auth installer{token_for(kLimitFolder, "installer")};
    EXPECT_EQ(get(flagged.url + kDpel, installer).status, 404);
    EXPECT_EQ(send("POST", flagged.url + kDpel, dpel_document(true, false, "100", "0"), installer).status, 404);
}

TEST(SimLimit, ReplyDelayAndOneLogLinePerRequest) {
    testsupport::TempDir dir;
    const std::string log = dir.file("limit-requests.jsonl");
    auto sim = launch_simulator(
        {"--capture", capture(kLimitFolder), "--limit-reply-delay-ms", "1200", "--log-limit-requests", log});
    ASSERT_TRUE(sim.ready());
    const Auth installer{token_for(kLimitFolder, "installer")};
    const std::string body = dpel_document(true, false, "250", "0");

    EXPECT_EQ(get(sim.url + kDpel, installer).status, 200);
    auto slow = send("POST", sim.url + kDpel, body, installer);
    EXPECT_EQ(slow.status, 200);
    EXPECT_GE(slow.seconds, 1.2);
    EXPECT_EQ(get(sim.url + kDpel, {token_for(kLimitFolder, "owner")}).status, 401);
    EXPECT_EQ(get(sim.url + "/api/v1/production", installer).status, 200);  // not a limit request

    std::vector<nlohmann::json> lines;
    ASSERT_TRUE(testsupport::wait_until(
        [&] {
            lines = json_lines(testsupport::read_file(log));
            return lines.size() >= 3;
        },
        5s));
    ASSERT_EQ(lines.size(), 3u);
    EXPECT_EQ(lines[0]["method"], "GET");
    EXPECT_EQ(lines[0]["path"], kDpel);
    EXPECT_EQ(lines[0]["status"], 200);
    EXPECT_EQ(lines[1]["method"], "POST");
    EXPECT_EQ(lines[1]["body"], body);
    EXPECT_EQ(lines[1]["status"], 200);
    EXPECT_EQ(lines[2]["status"], 401);
    for (const auto& line : lines) {
        ASSERT_TRUE(line["time"].is_string());
        EXPECT_EQ(line["time"].get<std::string>().size(), 24u) << line;  // 2026-11-30T08:15:02.123Z
    }
    EXPECT_LE(lines[0]["time"].get<std::string>(), lines[1]["time"].get<std::string>());
}

TEST(SimLimit, HelpNamesTheLimitOptionsAndTheirDefaults) {
    int code = -1;
    const auto help = run_sim({"--help"}, &code);
    EXPECT_EQ(code, 0);
    for (const char* text : {"--limit-settle-s", "--limit-slew", "--limit-reply-delay-ms", "--limit-refuse", "--no-dpel",
                             "--old-dpel-firmware", "--log-limit-requests", "/ivp/ss/dpel", "/ivp/mod/603980032/mode/power"}) {
        EXPECT_NE(help.find(text), std::string::npos) << text;
    }
    const auto settle = help.find("--limit-settle-s");
    ASSERT_NE(settle, std::string::npos);
    const std::string settle_line = help.substr(settle, help.find('\n', settle) - settle);
    EXPECT_NE(settle_line.find("=15"), std::string::npos) << settle_line;  // the default, 15 s
}
