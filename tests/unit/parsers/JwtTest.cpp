// tests/unit/parsers: JWT payload claims, and errors that never echo the token.
#include <gtest/gtest.h>

#include <string>

#include "ErrorAssert.hpp"
#include "envoy/parsers/Jwt.hpp"

namespace {

using envoy::parse::jwt;

std::string base64url(std::string_view in) {
    static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    std::string out;
    std::size_t i = 0;
    for (; i + 2 < in.size(); i += 3) {
        const unsigned v = (static_cast<unsigned char>(in[i]) << 16) | (static_cast<unsigned char>(in[i + 1]) << 8) |
                           static_cast<unsigned char>(in[i + 2]);
        for (int shift : {18, 12, 6, 0}) out.push_back(kAlphabet[(v >> shift) & 63]);
    }
    if (in.size() - i == 1) {
        const unsigned v = static_cast<unsigned char>(in[i]) << 16;
        for (int shift : {18, 12}) out.push_back(kAlphabet[(v >> shift) & 63]);
    } else if (in.size() - i == 2) {
        const unsigned v = (static_cast<unsigned char>(in[i]) << 16) | (static_cast<unsigned char>(in[i + 1]) << 8);
        for (int shift : {18, 12, 6}) out.push_back(kAlphabet[(v >> shift) & 63]);
    }
    return out;
}

std::string token(std::string_view payload) {
    return base64url(R"({"kid":"abc","typ":"JWT","alg":"ES256"})") + "." + base64url(payload) + ".c2lnbmF0dXJl";
}

TEST(Jwt, OwnerToken) {
    const auto info = jwt(token(R"({"aud":"122238082763","iss":"Entrez","enphaseUser":"owner",)"
                                R"("exp":1735689600,"iat":1704153600,"jti":"x","username":"someone@example.com",)"
                                R"("serial":"122238082763"})"));
    EXPECT_EQ(info, (model::TokenInfo{1735689600, model::TokenUser::Owner, "someone@example.com", "122238082763",
                                      1704153600}));
}

TEST(Jwt, InstallerTokenAllPaddingLengths) {
    // Payloads of different lengths exercise every base64 remainder (no '=' padding in JWTs).
    for (const std::string pad : {"", "x", "xy"}) {
        const auto info = jwt(token(R"({"enphaseUser":"installer","exp":"1700000000","serial":")" + pad + R"("})"));
        EXPECT_EQ(info.user, model::TokenUser::Installer);
        EXPECT_EQ(info.expires, 1700000000);
        EXPECT_EQ(info.serial, pad);
        EXPECT_EQ(info.username, "");
    }
}

TEST(Jwt, MissingClaimsAreUnknown) {
    const auto info = jwt(token(R"({"enphaseUser":"admin"})") + "\n");
    EXPECT_EQ(info, model::TokenInfo{});
}

TEST(Jwt, BrokenTokensNeverEchoTheToken) {
    const std::string secret = "eyJzZWNyZXQiOiJkb250LWxlYWsifQ";  // {"secret":"dont-leak"}
    const std::string cases[] = {
        "",
        secret,
        "a." + secret,
        "a." + secret + ".b.c",
        "a.!!!" + secret + ".b",
        "a." + secret.substr(0, 5) + ".b",                // 5 base64 characters: impossible length
        "a." + base64url("not json " + secret) + ".b",
        "a." + base64url("[1,2]") + ".b",
        "a.." + secret,
    };
    for (const auto& t : cases) {
        SCOPED_TRACE(t);
        try {
            jwt(t);
            ADD_FAILURE() << "expected ParseError";
        } catch (const envoy::parse::ParseError& e) {
            const std::string message = e.what();
            EXPECT_TRUE(message.starts_with("token: ")) << message;
            EXPECT_EQ(message.find(secret), std::string::npos) << message;
            EXPECT_EQ(message.find("dont-leak"), std::string::npos) << message;
            EXPECT_EQ(message.find("eyJ"), std::string::npos) << message;
        }
    }
}

}  // namespace

// Found by the jwt fuzzer: an expiry far beyond int64 must not be cast (undefined behaviour).
TEST(Jwt, ExpiryOutOfRangeIsUnknown) {
    EXPECT_EQ(jwt(token(R"({"exp":1.9e20,"enphaseUser":"owner"})")).expires, 0);
    EXPECT_EQ(jwt(token(R"({"exp":-1.9e20})")).expires, 0);
    EXPECT_EQ(jwt(token(R"({"exp":1700000000.7})")).expires, 1700000000);
}
