// Tests that secrets never leave the config module in messages, and of credentials_problem().
#include <gtest/gtest.h>

#include "ConfigFile.hpp"

using configtest::ConfigFile;
using configtest::minimal;

namespace {

const std::string kToken = "eyJraWQiOiJzZWNyZXQifQ.eyJlbnBoYXNlVXNlciI6Im93bmVyIn0.c2lnbmF0dXJlLXNlY3JldA";
const std::vector<std::string> kSecrets = {"12345678", "cloud-secret-xyz", "mqtt-secret-abc", kToken,
                                           "not-a-jwt-secret"};

void expect_no_secret(const std::string& text) {
    for (const std::string& secret : kSecrets) EXPECT_EQ(text.find(secret), std::string::npos) << text;
}

config::Config with_credentials(const std::string& token, const std::string& user, const std::string& password,
                                const std::string& serial) {
    config::Config c;
    c.envoy.token = token;
    c.envoy.enlighten_user = user;
    c.envoy.enlighten_password = password;
    c.envoy.serial = serial;
    c.envoy.token_cache = "/nonexistent/token.cache";
    return c;
}

const std::string kNeedsToken = "needs a token: set token, or enlighten_user, enlighten_password and serial";

}  // namespace

TEST(ConfigSecrets, DescribeMasksEverySecret) {
    std::vector<std::string> warnings;
    config::Config c = config::load(testsupport::test_data("config/upstream.ini"), warnings);
    c.envoy.token = kToken;
    const std::string line = config::describe(c);
    expect_no_secret(line);
    EXPECT_NE(line.find("***"), std::string::npos);
    EXPECT_NE(line.find("192.168.1.80"), std::string::npos);
    EXPECT_NE(line.find("127.0.0.1:1883"), std::string::npos);
    EXPECT_EQ(line.find('\n'), std::string::npos);
}

TEST(ConfigSecrets, DescribeOfDefaultsSaysNoCredentials) {
    ConfigFile file(minimal());
    const std::string line = config::describe(file.load());
    EXPECT_NE(line.find("credentials: none"), std::string::npos) << line;
    EXPECT_NE(line.find("MQTT off"), std::string::npos) << line;
    EXPECT_EQ(line.find("***"), std::string::npos) << line;
}

TEST(ConfigSecrets, BadTokenErrorDoesNotShowTheValue) {
    ConfigFile file(minimal("token = not-a-jwt-secret\n"));
    const std::string error = file.error();
    EXPECT_EQ(error, file.path + ": [ENVOY] token (value not shown): expected a JWT: three base64url parts separated by dots");
    expect_no_secret(error);
}

TEST(ConfigSecrets, BadTokenInDefaultSectionIsNotShownEither) {
    ConfigFile file(minimal("[DEFAULT]\ntoken = not-a-jwt-secret\n"));
    const std::string error = file.error();
    EXPECT_EQ(error, file.path + ": [DEFAULT] token (value not shown): expected a JWT: three base64url parts separated by dots");
}

TEST(ConfigSecrets, ErrorsAndWarningsOfAFileFullOfSecretsDoNotShowThem) {
    const std::string secrets = "password = 12345678\nenlighten_password = cloud-secret-xyz\ntoken = " + kToken + "\n";
    const std::vector<std::string> breakers = {
        "[PV]\nmax = x\n", "[MQTT]\nenabled = 1\n", "[ENVOY\n", "[ENVOY]\npassword = 12345678\n",
        "[ENVOY]\npasword = cloud-secret-xyz\n", "[MQTT]\npassword = mqtt-secret-abc\npassword = mqtt-secret-abc\n",
    };
    for (const std::string& breaker : breakers) {
        ConfigFile file(minimal(secrets + breaker));
        const std::string error = file.error();
        // Each breaker does produce a message (else there would be nothing to check).
        EXPECT_TRUE(!error.empty() || !file.warnings.empty()) << breaker;
        expect_no_secret(error);
        for (const std::string& warning : file.warnings) expect_no_secret(warning);
    }
}

TEST(ConfigCredentials, PreSevenFirmwareNeedsNothing) {
    EXPECT_EQ(config::credentials_problem(with_credentials("", "", "", ""), false), std::nullopt);
}

TEST(ConfigCredentials, TokenFirmwareAcceptsATokenOrTheCloudLogin) {
    EXPECT_EQ(config::credentials_problem(with_credentials(kToken, "", "", ""), true), std::nullopt);
    EXPECT_EQ(config::credentials_problem(with_credentials("", "me@example.com", "pw", "122112123456"), true),
              std::nullopt);
}

TEST(ConfigCredentials, TokenFirmwareWithoutCredentialsIsOneLine) {
    EXPECT_EQ(config::credentials_problem(with_credentials("", "", "", ""), true, "D7.6.175"),
              "[ENVOY] token firmware D7.6.175 " + kNeedsToken);
    EXPECT_EQ(config::credentials_problem(with_credentials("", "", "", ""), true),
              "[ENVOY] token firmware " + kNeedsToken);
}

TEST(ConfigCredentials, PartialCloudLoginNamesWhatIsMissing) {
    EXPECT_EQ(config::credentials_problem(with_credentials("", "me@example.com", "", ""), true, "D8.2.4264"),
              "[ENVOY] token firmware D8.2.4264 " + kNeedsToken + " (missing: enlighten_password, serial)");
    EXPECT_EQ(config::credentials_problem(with_credentials("", "me@example.com", "pw", ""), true),
              "[ENVOY] token firmware " + kNeedsToken + " (missing: serial)");
}

TEST(ConfigCredentials, ExistingTokenCacheIsEnough) {
    testsupport::TempDir dir;
    config::Config c = with_credentials("", "", "", "");
    c.envoy.token_cache = dir.file("token.cache");
    EXPECT_NE(config::credentials_problem(c, true), std::nullopt);
    testsupport::write_file(c.envoy.token_cache, "{}");
    EXPECT_EQ(config::credentials_problem(c, true), std::nullopt);
}
