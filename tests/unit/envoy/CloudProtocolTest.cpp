// Tests of envoy::cloud: the login and token request bodies and the reading of the cloud's answers.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "envoy/CloudProtocol.hpp"

using envoy::cloud::Problem;

namespace {

constexpr const char* kJwt = "eyJhbGciOiJIUzI1NiJ9.eyJleHAiOjF9.c2ln";

}  // namespace

TEST(CloudProtocol, LoginFormEscapesFieldNamesAndValues) {
    EXPECT_EQ(envoy::cloud::login_form("me+x@example.com", "p&s=w rd%"),
              "user%5Bemail%5D=me%2Bx%40example.com&user%5Bpassword%5D=p%26s%3Dw%20rd%25");
}

TEST(CloudProtocol, TokensRequestIsJsonWithTheThreeFields) {
    auto body = nlohmann::json::parse(envoy::cloud::tokens_request("abc", "122112123456", "me@example.com"));
    EXPECT_EQ(body["session_id"], "abc");
    EXPECT_EQ(body["serial_num"], "122112123456");
    EXPECT_EQ(body["username"], "me@example.com");
}

TEST(CloudProtocol, LoginWithSessionIdSucceeds) {
    auto out = envoy::cloud::read_login(200, R"({"message":"success","session_id":"s1","is_consumer":true})", "");
    EXPECT_EQ(out.problem, Problem::None);
    EXPECT_EQ(out.value, "s1");
}

TEST(CloudProtocol, LoginWithoutSessionIdMeansMultiFactor) {
    auto out = envoy::cloud::read_login(200, R"({"success":true,"requires_mfa":true})", "");
    EXPECT_EQ(out.problem, Problem::MultiFactor);
    EXPECT_NE(out.message.find("multi-factor"), std::string::npos) << out.message;
    EXPECT_NE(out.message.find("[ENVOY] token"), std::string::npos) << out.message;
    EXPECT_TRUE(out.value.empty());
    EXPECT_EQ(envoy::cloud::read_login(200, R"({"session_id":""})", "").problem, Problem::MultiFactor);
}

TEST(CloudProtocol, RefusedLoginNamesTheCredentialsAndQuotesTheCloud) {
    auto out = envoy::cloud::read_login(401, R"({"message":"Invalid email or password"})", "");
    EXPECT_EQ(out.problem, Problem::BadCredentials);
    EXPECT_EQ(out.message,
              "Enlighten login refused: wrong [ENVOY] enlighten_user or enlighten_password (HTTP 401: Invalid email or "
              "password)");
    EXPECT_EQ(envoy::cloud::read_login(403, "", "").problem, Problem::BadCredentials);
}

TEST(CloudProtocol, LoginTransportErrorsAndServerErrors) {
    auto out = envoy::cloud::read_login(0, "", "SSL certificate problem: unable to get local issuer certificate");
    EXPECT_EQ(out.problem, Problem::Unreachable);
    EXPECT_NE(out.message.find("unreachable (SSL certificate problem"), std::string::npos) << out.message;
    EXPECT_EQ(envoy::cloud::read_login(503, "<html>down</html>", "").problem, Problem::CloudError);
    EXPECT_EQ(envoy::cloud::read_login(200, "<html>login page</html>", "").problem, Problem::CloudError);
}

TEST(CloudProtocol, CloudTextInMessagesIsOneShortLine) {
    std::string body = "{\"message\":\"line one\\nline two " + std::string(300, 'x') + "\"}";
    auto out = envoy::cloud::read_login(500, body, "");
    EXPECT_EQ(out.message.find('\n'), std::string::npos);
    EXPECT_LT(out.message.size(), 200u);
}

TEST(CloudProtocol, TokenBodyIsTheTokenTrimmed) {
    auto out = envoy::cloud::read_tokens(200, std::string(kJwt) + "\r\n", "", "122112123456");
    EXPECT_EQ(out.problem, Problem::None);
    EXPECT_EQ(out.value, kJwt);
}

TEST(CloudProtocol, RefusedSerialIsNamed) {
    auto out = envoy::cloud::read_tokens(403, R"({"message":"not linked"})", "", "999");
    EXPECT_EQ(out.problem, Problem::UnknownSerial);
    EXPECT_NE(out.message.find("gateway 999"), std::string::npos) << out.message;
    EXPECT_NE(out.message.find("[ENVOY] serial"), std::string::npos) << out.message;
    EXPECT_NE(out.message.find("not linked"), std::string::npos) << out.message;
    EXPECT_EQ(envoy::cloud::read_tokens(404, "", "", "999").problem, Problem::UnknownSerial);
}

TEST(CloudProtocol, OtherTokenAnswersAreCloudErrors) {
    EXPECT_EQ(envoy::cloud::read_tokens(401, "", "", "1").problem, Problem::CloudError);
    EXPECT_EQ(envoy::cloud::read_tokens(500, "", "", "1").problem, Problem::CloudError);
    EXPECT_EQ(envoy::cloud::read_tokens(200, "<html>not a token</html>", "", "1").problem, Problem::CloudError);
    EXPECT_EQ(envoy::cloud::read_tokens(0, "", "Connection refused", "1").problem, Problem::Unreachable);
}
