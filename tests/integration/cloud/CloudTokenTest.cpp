// Integration: tokens from the Enphase cloud. The daemon with an Enlighten account and no
// usable token logs in to the cloud stand-in (envoy-sim --cloud, verified TLS against its
// test CA), caches the token (0600), reuses the cache after a restart, renews ahead of the
// expiry and at once when the simulated gateway rejects the token, and names wrong
// passwords, multi-factor accounts and unknown serials. The logs (DEBUG) never hold a token
// or the password.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <csignal>
#include <ctime>
#include <regex>

#include "BusClient.hpp"
#include "DaemonOnBus.hpp"
#include "Harness.hpp"

using namespace testsupport;
using dbustest::BusClient;

namespace {

constexpr const char* kCapture = "8.2.4345_with_device_data";
constexpr const char* kSerial = "122446001637";
constexpr const char* kUser = "owner@example.com";
constexpr const char* kPassword = "s3cret-Pa55word";
constexpr std::int64_t kYear = 365LL * 24 * 3600;

std::int64_t now() { return static_cast<std::int64_t>(std::time(nullptr)); }

class CloudTokens : public dbustest::DaemonOnBus {
protected:
    Simulator cloud;
    std::string daemon_logs;  // output of earlier daemon runs

    void start_cloud(std::vector<std::string> args = {}) {
        std::vector<std::string> argv{"--cloud", "--port", "0", "--ca-out", dir.file("ca.pem"),
                                      "--cloud-user", kUser, "--cloud-password", kPassword};
        argv.insert(argv.end(), args.begin(), args.end());
        cloud = launch_simulator(argv);
        ASSERT_TRUE(cloud.ready()) << cloud.process->output();
    }

    void write_daemon_config(const std::string& password = kPassword, const std::string& envoy_extra = "",
                             const std::string& ca_file = "ca.pem") {
        std::string text = "[DEFAULT]\nlogging = DEBUG\n\n[ENVOY]\naddress = " + sim.address() +
                           "\nenlighten_user = " + kUser + "\nenlighten_password = " + password +
                           "\nserial = " + kSerial + "\nenlighten_login_url = " + cloud.url +
                           "/login/login.json\nentrez_token_url = " + cloud.url +
                           "/tokens\ncloud_ca_file = " + ca_file + "\n" + envoy_extra + "\n[ENERGY]\nvolatile_dir = " +
                           dir.path() + "/run\nstate_dir = " + dir.path() + "\n";
        config = dir.file("config.ini");
        write_file(config, text);
    }

    void start(const std::vector<std::string>& cloud_args = {}, const std::string& password = kPassword,
               const std::string& envoy_extra = "") {
        sim = start_simulator(kCapture);
        start_cloud(cloud_args);
        write_daemon_config(password, envoy_extra);
        start_daemon();
    }

    void stop_daemon() {
        DaemonOnBus::stop_daemon();
        daemon_logs += daemon->output();
    }

    bool connected() { return connected_is(kPv, 1); }

    std::int64_t token_expiry() { return client->get_value(kPv, "/Enphase/TokenExpiry").value.get<std::int64_t>(); }

    int token_requests() { return static_cast<int>(count_of(cloud.process->output(), "token request ")); }

    std::string cached_token() {
        std::string text = read_file(dir.file("token.cache"));
        while (!text.empty() && text.back() == '\n') text.pop_back();
        return text;
    }

    // Neither the password nor any token (the cached one, or the signature part of any
    // JWT-looking text) appears in what the daemon logged.
    void expect_no_secrets(const std::vector<std::string>& tokens = {}) {
        std::string logs = daemon_logs + (daemon ? daemon->output() : std::string());
        EXPECT_EQ(logs.find(kPassword), std::string::npos);
        for (const auto& token : tokens) {
            ASSERT_GT(token.size(), 40u);
            EXPECT_EQ(logs.find(token.substr(token.rfind('.') + 1)), std::string::npos) << "token signature in the log";
            EXPECT_EQ(logs.find(token.substr(0, 40)), std::string::npos) << "token in the log";
        }
        EXPECT_FALSE(std::regex_search(logs, std::regex(R"(eyJ[A-Za-z0-9_-]{10,}\.)"))) << "a JWT in the log";
        EXPECT_EQ(logs.find("session_id\":"), std::string::npos);
    }
};

TEST_F(CloudTokens, FirstFetchIsCachedWithMode0600AndReusedAfterARestart) {
    start();
    ASSERT_TRUE(connected()) << daemon->output();
    EXPECT_EQ(token_requests(), 1) << cloud.process->output();
    EXPECT_EQ(client->get_value(kPv, "/Enphase/TokenType").value, "owner");
    EXPECT_NEAR(static_cast<double>(token_expiry()), static_cast<double>(now() + kYear), 60.0);

    struct stat info {};
    ASSERT_EQ(::stat(dir.file("token.cache").c_str(), &info), 0);
    EXPECT_EQ(info.st_mode & 0777, 0600u);
    const std::string token = cached_token();
    EXPECT_EQ(std::count(token.begin(), token.end(), '.'), 2) << "a JWT";
    const auto expiry = token_expiry();

    stop_daemon();
    start_daemon();
    ASSERT_TRUE(connected()) << daemon->output();
    EXPECT_EQ(token_requests(), 1) << "the restart used the cache: " << cloud.process->output();
    EXPECT_EQ(token_expiry(), expiry);
    EXPECT_EQ(cached_token(), token);
    stop_daemon();
    expect_no_secrets({token});
}

TEST_F(CloudTokens, ConfiguredTokenNearItsExpiryIsRenewedAhead) {
    sim = start_simulator(kCapture);
    // An owner token issued 364 days ago with one day left: due for renewal.
    const std::string old_token = make_token(kCapture, "owner", {"--token-iat", std::to_string(now() - kYear + 86400),
                                                                 "--token-exp", std::to_string(now() + 86400)});
    start_cloud();
    write_daemon_config(kPassword, "token = " + old_token + "\n");
    start_daemon();
    ASSERT_TRUE(connected()) << daemon->output();
    // /Enphase/TokenExpiry moves from a day ahead to a year ahead.
    EXPECT_TRUE(wait_until([&] { return token_expiry() > now() + 300 * 86400LL; }, 20s)) << daemon->output();
    EXPECT_EQ(token_requests(), 1) << cloud.process->output();
    EXPECT_NE(daemon->output().find("renewing the token ahead of its expiry"), std::string::npos) << daemon->output();
    EXPECT_TRUE(wait_until([&] { return daemon->output().find("now using the new token") != std::string::npos; }, 10s));
    ASSERT_TRUE(connected());
    stop_daemon();
    expect_no_secrets({old_token, cached_token()});
}

TEST_F(CloudTokens, GatewayRejectingTheTokenGetsANewOneAtOnce) {
    start();
    ASSERT_TRUE(connected()) << daemon->output();
    ASSERT_EQ(token_requests(), 1);
    const std::string first = cached_token();

    ASSERT_EQ(sim.control("revoke-seen"), 200);
    ASSERT_TRUE(wait_until([&] { return token_requests() == 2; }, 20s)) << daemon->output() << cloud.process->output();
    EXPECT_TRUE(wait_until([&] { return cached_token() != first; }, 10s));
    // Data flows again on the new token.
    EXPECT_TRUE(wait_until([&] {
        return daemon->output().find("no longer accepts the token") != std::string::npos &&
               count_of(daemon->output(), "receiving data from the") >= 2;
    }, 20s)) << daemon->output();
    EXPECT_TRUE(connected());
    EXPECT_EQ(token_requests(), 2);
    stop_daemon();
    expect_no_secrets({first, cached_token()});
}

TEST_F(CloudTokens, WrongPasswordIsOneClearLineAndTheDaemonKeepsRunning) {
    start({}, "not-the-" + std::string(kPassword).substr(0, 3));
    ASSERT_TRUE(daemon->wait_for_output(
        "Enlighten login refused: wrong [ENVOY] enlighten_user or enlighten_password (HTTP 401: Invalid email or "
        "password); retrying in 1 min", 20s)) << daemon->output();
    EXPECT_TRUE(daemon->running());
    EXPECT_EQ(token_requests(), 0);
    EXPECT_EQ(daemon->output().find("not-the-"), std::string::npos);
    stop_daemon();
    expect_no_secrets();
}

TEST_F(CloudTokens, MultiFactorAccountIsNamed) {
    start({"--cloud-mfa"});
    ASSERT_TRUE(daemon->wait_for_output("the account uses multi-factor authentication", 20s)) << daemon->output();
    EXPECT_TRUE(daemon->running());
    EXPECT_EQ(token_requests(), 0);
    stop_daemon();
    expect_no_secrets();
}

TEST_F(CloudTokens, UnknownSerialIsNamed) {
    start({"--cloud-serial", "999999999999"});
    ASSERT_TRUE(daemon->wait_for_output(std::string("the Enphase token service refused a token for gateway ") + kSerial,
                                        20s)) << daemon->output();
    EXPECT_TRUE(daemon->running());
    stop_daemon();
    expect_no_secrets();
}

TEST_F(CloudTokens, CloudCertificateOfAnotherCaIsRefused) {
    sim = start_simulator(kCapture);
    start_cloud();
    // A second stand-in only for its (different) test CA.
    const Simulator other = launch_simulator({"--cloud", "--ca-out", dir.file("other-ca.pem")});
    ASSERT_TRUE(other.ready()) << other.process->output();
    write_daemon_config(kPassword, "", "other-ca.pem");
    start_daemon();
    ASSERT_TRUE(daemon->wait_for_output("Enlighten login: the Enphase cloud is unreachable (", 20s)) << daemon->output();
    EXPECT_EQ(count_of(cloud.process->output(), "login ->"), 0u) << cloud.process->output();
    stop_daemon();
    expect_no_secrets();
}

}  // namespace
