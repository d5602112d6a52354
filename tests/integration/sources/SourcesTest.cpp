// Integration: the daemon chooses its data source and falls back when one fails, against the
// simulator over real sockets (owner vs installer tokens, Digest on pre-7 firmware, stalled,
// refused and malformed streams, malformed readings), and an endpoint unit on a gateway without
// its endpoint. Observed through the daemon's log; the D-Bus tests check the published values,
// tests/unit/envoy/SourceSelectionTest.cpp the rules of the selection itself.
#include <gtest/gtest.h>

#include <csignal>

#include "Harness.hpp"

using namespace testsupport;

namespace {

constexpr const char* k3Phase = "7.6.175_with_cts_3phase";
constexpr const char* kPre7 = "4.10.35";

struct Running {
    PrivateBus bus;
    Simulator sim;
    TempDir dir;
    std::unique_ptr<Process> daemon;

    Running(const std::string& capture, const std::vector<std::string>& sim_args, const std::string& user,
            const std::string& envoy_extra = "") {
        sim = start_simulator(capture, sim_args);
        std::string extra = envoy_extra;
        if (!user.empty()) extra += "token = " + make_token(capture, user) + "\n";
        auto config = write_config(dir, sim.address(), extra);
        daemon = std::make_unique<Process>(daemon_command(config),
                                           bus.environment());
    }

    // The daemon is still alive and stops cleanly on SIGTERM.
    void expect_clean_stop() {
        EXPECT_TRUE(daemon->running()) << daemon->output();
        daemon->signal(SIGTERM);
        auto code = daemon->wait_exit(10s);
        ASSERT_TRUE(code.has_value()) << daemon->output();
        EXPECT_EQ(*code, 0) << daemon->output();
    }
};

TEST(Sources, InstallerTokenGetsTheMeterStream) {
    Running run(k3Phase, {}, "installer");
    EXPECT_TRUE(run.daemon->wait_for_output("receiving data from the stream source", 15s)) << run.daemon->output();
    EXPECT_NE(run.daemon->output().find("token: installer account, expires"), std::string::npos) << run.daemon->output();
    run.expect_clean_stop();
}

TEST(Sources, OwnerTokenPollsTheReadingsWhereTheStreamIsRefused) {
    Running run(k3Phase, {}, "owner");
    EXPECT_TRUE(run.daemon->wait_for_output("source: stream -> readings", 15s)) << run.daemon->output();
    EXPECT_TRUE(run.daemon->wait_for_output("receiving data from the readings source", 10s)) << run.daemon->output();
    EXPECT_NE(run.daemon->output().find("token: owner account"), std::string::npos);
    EXPECT_NE(run.daemon->output().find("HTTP 401"), std::string::npos);
    run.expect_clean_stop();
}

TEST(Sources, Pre7FirmwareStreamsWithTheDerivedDigestPassword) {
    Running run(kPre7, {}, "");
    EXPECT_TRUE(run.daemon->wait_for_output("receiving data from the stream source", 15s)) << run.daemon->output();
    EXPECT_NE(run.daemon->output().find("pre-7 firmware"), std::string::npos);
    run.expect_clean_stop();
}

TEST(Sources, WrongDigestPasswordFallsBackToReadings) {
    Running run(kPre7, {}, "", "password = wrongpw1\n");
    EXPECT_TRUE(run.daemon->wait_for_output("source: stream -> readings", 15s)) << run.daemon->output();
    EXPECT_TRUE(run.daemon->wait_for_output("receiving data from the readings source", 10s)) << run.daemon->output();
    run.expect_clean_stop();
}

TEST(Sources, StalledStreamFallsBackWithinTenSeconds) {
    Running run(k3Phase, {"--stall-after", "2"}, "installer");
    ASSERT_TRUE(run.daemon->wait_for_output("receiving data from the stream source", 15s)) << run.daemon->output();
    auto stalled_at = std::chrono::steady_clock::now();
    ASSERT_TRUE(run.daemon->wait_for_output("source: stream -> readings", 10s)) << run.daemon->output();
    EXPECT_LT(std::chrono::steady_clock::now() - stalled_at, 10s);
    EXPECT_NE(run.daemon->output().find("stalled"), std::string::npos);
    // The readings now deliver (the status names them as the source).
    EXPECT_TRUE(run.daemon->wait_for_output("(readings)", 10s)) << run.daemon->output();
    run.expect_clean_stop();
}

TEST(Sources, ClosedStreamFallsBack) {
    Running run(k3Phase, {"--close-after", "2"}, "installer");
    ASSERT_TRUE(run.daemon->wait_for_output("source: stream -> readings", 15s)) << run.daemon->output();
    EXPECT_NE(run.daemon->output().find("closed the meter stream"), std::string::npos) << run.daemon->output();
    run.expect_clean_stop();
}

TEST(Sources, ServerErrorOnTheStreamFallsBack) {
    Running run(k3Phase, {"--fail", "/stream/meter=500"}, "installer");
    ASSERT_TRUE(run.daemon->wait_for_output("source: stream -> readings", 15s)) << run.daemon->output();
    EXPECT_NE(run.daemon->output().find("HTTP 500"), std::string::npos) << run.daemon->output();
    run.expect_clean_stop();
}

TEST(Sources, MalformedStreamIsLoggedAndReadingsTakeOver) {
    Running run(k3Phase, {"--malformed", "/stream/meter"}, "installer");
    ASSERT_TRUE(run.daemon->wait_for_output("meter stream: ", 15s)) << run.daemon->output();
    ASSERT_TRUE(run.daemon->wait_for_output("source: stream -> readings", 15s)) << run.daemon->output();
    EXPECT_TRUE(run.daemon->wait_for_output("receiving data from the readings source", 10s)) << run.daemon->output();
    run.expect_clean_stop();
}

TEST(Sources, MalformedReadingsFallBackToProductionJson) {
    // production.json reports the same CTs: it is the next source, before the inverters.
    Running run(k3Phase, {"--malformed", "/ivp/meters/readings"}, "owner");
    ASSERT_TRUE(run.daemon->wait_for_output("source: readings -> production.json", 20s)) << run.daemon->output();
    EXPECT_NE(run.daemon->output().find("/ivp/meters/readings"), std::string::npos);
    EXPECT_TRUE(run.daemon->wait_for_output("receiving data from the production.json source", 15s)) << run.daemon->output();
    run.expect_clean_stop();
}

TEST(Sources, FailingProductionJsonFallsBackToInverters) {
    Running run(k3Phase, {"--malformed", "/ivp/meters/readings", "--fail", "/production.json=500"}, "owner");
    ASSERT_TRUE(run.daemon->wait_for_output("-> inverters", 30s)) << run.daemon->output();
    EXPECT_TRUE(run.daemon->wait_for_output("receiving data from the inverters source", 15s)) << run.daemon->output();
    run.expect_clean_stop();
}

TEST(Sources, GatewayWithoutMeterEndpointsUsesProductionJson) {
    // 7.3.517 answers 404 to /ivp/meters; its production.json lists active CTs.
    Running run("7.3.517", {}, "owner");
    EXPECT_TRUE(run.daemon->wait_for_output("receiving data from the production.json source", 15s)) << run.daemon->output();
    run.expect_clean_stop();
}

TEST(Sources, GatewayWithoutMetersUsesTheInverters) {
    Running run("7.6.114_without_cts", {}, "owner");
    EXPECT_TRUE(run.daemon->wait_for_output("receiving data from the inverters source", 15s)) << run.daemon->output();
    EXPECT_EQ(run.daemon->output().find("source: stream"), std::string::npos);
    run.expect_clean_stop();
}

TEST(Sources, AnEndpointTheGatewayDoesNotHaveIsSaidOnceAndNotRetried) {
    // The inverter reports answer 404 before they ever answered: their unit says so once and
    // stops asking, while the data source goes on.
    Running run(k3Phase, {"--fail", "/api/v1/production/inverters=404"}, "owner");
    ASSERT_TRUE(run.daemon->wait_for_output("/api/v1/production/inverters: the gateway does not offer it (HTTP 404)", 20s))
        << run.daemon->output();
    EXPECT_TRUE(run.daemon->wait_for_output("receiving data from the readings source", 10s)) << run.daemon->output();
    EXPECT_EQ(run.daemon->output().find("/api/v1/production/inverters: HTTP 404; retrying"), std::string::npos)
        << run.daemon->output();
    run.expect_clean_stop();
}

TEST(Sources, RejectedTokenIsReportedAndTheDaemonKeepsTrying) {
    // A token for this gateway that the gateway does not accept (signed by someone else).
    std::string unknown = make_token(k3Phase, "owner", {"--jwt-key", "not-the-gateways-key"});
    Running run(k3Phase, {}, "", "token = " + unknown + "\n");
    ASSERT_TRUE(run.daemon->wait_for_output("the gateway rejected the token", 15s)) << run.daemon->output();
    EXPECT_NE(run.daemon->output().find("retrying in"), std::string::npos);
    EXPECT_EQ(run.daemon->output().find(unknown), std::string::npos) << "the token must never be logged";
    run.expect_clean_stop();
}

TEST(Sources, TokenForAnotherGatewayIsNeverSent) {
    std::string foreign = make_token(k3Phase, "owner", {"--token-serial", "999999999999"});
    Running run(k3Phase, {"--verbose"}, "", "token = " + foreign + "\n");
    auto code = run.daemon->wait_exit(30s);
    ASSERT_TRUE(code.has_value()) << run.daemon->output();
    EXPECT_EQ(*code, 2) << run.daemon->output();
    EXPECT_NE(run.daemon->output().find("[ENVOY] token: issued for gateway 999999999999, but this gateway is 122238082763"),
              std::string::npos)
        << run.daemon->output();
    // The gateway saw /info and nothing that carried the token.
    const std::string requests = run.sim.process->output();
    EXPECT_NE(requests.find("GET /info"), std::string::npos) << requests;
    EXPECT_EQ(requests.find("GET /auth/check_jwt"), std::string::npos) << requests;
    EXPECT_EQ(requests.find("GET /ivp"), std::string::npos) << requests;
}

}  // namespace
