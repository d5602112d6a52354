// tests/integration/sim: authentication of pre-7 firmware (HTTP Digest with the password
// derived from the serial) and token firmware (JWT bearer, sessionId cookie, roles).
#include "SimHarness.hpp"

#include "envoy/parsers/InstallerPassword.hpp"

#include <gtest/gtest.h>

using namespace simtest;

TEST(SimDigest, DerivedPasswordStreamsAndWrongPasswordGets401WithFreshChallenge) {
    auto sim = launch_simulator({"--capture", capture("4.10.35"), "--stream-interval-ms", "50"});
    ASSERT_TRUE(sim.ready()) << sim.process->output();
    std::string password = envoy::parse::installer_password("121938119871");

    auto ok = read_stream(sim.url + "/stream/meter", {"", "", "installer", password}, 1, 5s);
    EXPECT_EQ(ok.status, 200);
    ASSERT_EQ(ok.events.size(), 1u);
    EXPECT_TRUE(nlohmann::json::parse(ok.events[0]).contains("production"));

    auto wrong = get(sim.url + "/stream/meter", {"", "", "installer", "wrongpw1"});
    EXPECT_EQ(wrong.status, 401);
    std::string challenge = wrong.header("WWW-Authenticate");
    EXPECT_NE(challenge.find("Digest"), std::string::npos);
    EXPECT_NE(challenge.find("realm=\"enphaseenergy.com\""), std::string::npos);
    EXPECT_NE(challenge.find("qop=\"auth\""), std::string::npos);
    auto again = get(sim.url + "/stream/meter");
    EXPECT_EQ(again.status, 401);
    EXPECT_NE(again.header("WWW-Authenticate"), challenge);  // a fresh nonce each time

    EXPECT_EQ(get(sim.url + "/installer/agf/index.json", {"", "", "installer", "wrongpw1"}).status, 401);
    EXPECT_EQ(get(sim.url + "/api/v1/production").status, 200);  // public pages need no auth
}

class SimToken : public ::testing::Test {
protected:
    void SetUp() override {
        sim_ = launch_simulator({"--capture", capture("7.6.175_with_cts_3phase"), "--stream-interval-ms", "50"});
        ASSERT_TRUE(sim_.ready()) << sim_.process->output();
        ASSERT_EQ(sim_.url.rfind("https://127.0.0.1:", 0), 0u) << sim_.url;
    }
    std::string token(std::vector<std::string> extra) {
        extra.insert(extra.begin(), {"--capture", capture("7.6.175_with_cts_3phase")});
        int code = -1;
        std::string t = run_sim(extra, &code);
        EXPECT_EQ(code, 0) << t;
        EXPECT_EQ(std::count(t.begin(), t.end(), '.'), 2) << t;
        return t;
    }
    std::string url(const std::string& path) const { return sim_.url + path; }
    Simulator sim_;
};

TEST_F(SimToken, InfoNeedsNoTokenOtherPathsDo) {
    auto info = get(url("/info"));
    EXPECT_EQ(info.status, 200);
    EXPECT_NE(info.body.find("<web-tokens>true</web-tokens>"), std::string::npos);
    EXPECT_EQ(get(url("/production.json")).status, 401);
    EXPECT_EQ(get(url("/ivp/meters/readings")).status, 401);
    EXPECT_EQ(get(url("/auth/check_jwt")).status, 401);
    EXPECT_EQ(get(url("/production.json"), {token({"--make-token", "owner"})}).status, 200);
}

TEST_F(SimToken, CheckJwtSetsASessionCookieThatWorks) {
    auto check = get(url("/auth/check_jwt"), {token({"--make-token", "owner"})});
    EXPECT_EQ(check.status, 200);
    EXPECT_NE(check.body.find("Valid token."), std::string::npos);
    std::string set_cookie = check.header("Set-Cookie");
    ASSERT_EQ(set_cookie.rfind("sessionId=", 0), 0u) << check.headers;
    std::string cookie = set_cookie.substr(0, set_cookie.find(';'));
    auto with_cookie = get(url("/api/v1/production"), {"", cookie});
    EXPECT_EQ(with_cookie.status, 200);
    EXPECT_TRUE(nlohmann::json::parse(with_cookie.body).contains("wattsNow"));
    EXPECT_EQ(get(url("/api/v1/production"), {"", "sessionId=0123456789abcdef"}).status, 401);
    // The owner's session does not open installer pages either.
    EXPECT_EQ(get(url("/stream/meter"), {"", cookie}).status, 401);
}

TEST_F(SimToken, OwnerGets401OnStreamInstallerStreams) {
    EXPECT_EQ(get(url("/stream/meter"), {token({"--make-token", "owner"})}).status, 401);
    auto stream = read_stream(url("/stream/meter"), {token({"--make-token", "installer"})}, 2, 5s);
    EXPECT_EQ(stream.status, 200);
    EXPECT_EQ(stream.events.size(), 2u);
    // Owners may read the meter readings.
    EXPECT_EQ(get(url("/ivp/meters/readings"), {token({"--make-token", "owner"})}).status, 200);
}

TEST_F(SimToken, ForgedExpiredAndForeignTokensAreRejected) {
    std::string forged = token({"--make-token", "installer", "--jwt-key", "someone-elses-key"});
    std::string expired = token({"--make-token", "installer", "--token-exp", "1000000000"});
    std::string foreign = token({"--make-token", "installer", "--token-serial", "999999999999"});
    for (const auto& t : {forged, expired, foreign}) {
        EXPECT_EQ(get(url("/auth/check_jwt"), {t}).status, 401);
        EXPECT_EQ(get(url("/production.json"), {t}).status, 401);
        EXPECT_EQ(get(url("/stream/meter"), {t}).status, 401);
    }
    EXPECT_EQ(get(url("/production.json"), {"not-a-jwt"}).status, 401);
    std::string good = token({"--make-token", "installer"});
    std::string tampered = good;
    tampered[tampered.find('.') + 3] ^= 1;  // change the payload, keep the signature
    EXPECT_EQ(get(url("/production.json"), {tampered}).status, 401);
    EXPECT_EQ(get(url("/production.json"), {good}).status, 200);
}

TEST(SimTokenCli, MakeTokenNeedsASerial) {
    int code = 0;
    auto out = run_sim({"--make-token", "owner"}, &code);
    EXPECT_EQ(code, 2);
    EXPECT_NE(out.find("--token-serial"), std::string::npos) << out;
    auto token = run_sim({"--make-token", "owner", "--token-serial", "123"}, &code);
    EXPECT_EQ(code, 0);
    EXPECT_EQ(std::count(token.begin(), token.end(), '.'), 2);
}
