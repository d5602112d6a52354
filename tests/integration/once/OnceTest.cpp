// Integration: `dbus-enphase-envoy --once` against the simulator: configuration problems, an
// unreachable gateway, and a forced firmware family. (Every capture's figures through --once are
// checked against its golden.json in tests/integration/golden.)
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "GoldenFile.hpp"
#include "Harness.hpp"

using namespace testsupport;

namespace {

TEST(Once, TokenFirmwareWithoutTokenIsAConfigurationError) {
    auto sim = start_simulator("7.6.175_with_cts_3phase", {"--static"});
    TempDir dir;
    auto config = write_config(dir, sim.address());
    Process daemon(daemon_command(config, {"--once"}));
    auto code = daemon.wait_exit(30s);
    ASSERT_TRUE(code.has_value());
    EXPECT_EQ(*code, 2);
    EXPECT_NE(daemon.output().find("needs a token"), std::string::npos) << daemon.output();
}

TEST(Once, UnreachableGatewayFailsWithAClearMessage) {
    TempDir dir;
    // A port nothing listens on: bind-and-close is racy, port 1 on loopback is refused.
    auto config = write_config(dir, "127.0.0.1:1", "request_timeout = 2\n");
    Process daemon(daemon_command(config, {"--once"}));
    auto code = daemon.wait_exit(60s);
    ASSERT_TRUE(code.has_value());
    EXPECT_EQ(*code, 1);
    EXPECT_NE(daemon.output().find("not reachable"), std::string::npos) << daemon.output();
}

TEST(Once, ForcedPre7FirmwareWinsOverInfo) {
    // A gateway whose /info says D7.6.175 but which talks HTTP with Digest, as pre-7 firmware does.
    const std::string capture = "7.6.175_with_cts_3phase";
    auto sim = start_simulator(capture, {"--static", "--firmware", "pre7"});
    TempDir dir;
    auto config = write_config(dir, sim.address(), "firmware = D5\n");
    Process once(daemon_command(config, {"--once"}));
    auto code = once.wait_exit(60s);
    ASSERT_TRUE(code.has_value()) << once.output();
    ASSERT_EQ(*code, 0) << once.output();
    const std::string& output = once.output();
    EXPECT_EQ(output.find("needs a token"), std::string::npos) << output;
    const std::string warning = "[ENVOY] firmware forces pre-7 access although /info says D7.6.175";
    const auto first = output.find(warning);
    ASSERT_NE(first, std::string::npos) << output;
    EXPECT_EQ(output.find(warning, first + 1), std::string::npos) << "warned more than once: " << output;
    auto start = output.find("{\"pv\"");
    ASSERT_NE(start, std::string::npos) << output;
    auto meters = nlohmann::json::parse(output.substr(start, output.find('\n', start) - start));
    EXPECT_EQ(golden::compare_meters(meters, golden::load(capture)["polled"]), "") << output;
}

}  // namespace
