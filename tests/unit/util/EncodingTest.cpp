// Unit tests of util/Encoding: hex, base64url and MD5 against published test vectors
// (RFC 1321 appendix A.5 for MD5, RFC 4648 section 10 for base64).
#include <gtest/gtest.h>

#include "util/Encoding.hpp"

namespace {

TEST(Encoding, HexIsLowercaseTwoDigitsPerByte) {
    EXPECT_EQ(util::to_hex(std::string("\x00\x0f\xa5\xff", 4)), "000fa5ff");
    EXPECT_EQ(util::to_hex(""), "");
}

TEST(Encoding, Md5MatchesRfc1321) {
    EXPECT_EQ(util::md5_hex(""), "d41d8cd98f00b204e9800998ecf8427e");
    EXPECT_EQ(util::md5_hex("abc"), "900150983cd24fb0d6963f7d28e17f72");
    EXPECT_EQ(util::md5_hex("message digest"), "f96b697d7cb7938d525a2f31aaf161d0");
}

TEST(Encoding, Base64UrlMatchesRfc4648WithoutPadding) {
    EXPECT_EQ(util::base64url_encode(""), "");
    EXPECT_EQ(util::base64url_encode("f"), "Zg");
    EXPECT_EQ(util::base64url_encode("fo"), "Zm8");
    EXPECT_EQ(util::base64url_encode("foo"), "Zm9v");
    EXPECT_EQ(util::base64url_encode("foobar"), "Zm9vYmFy");
    EXPECT_EQ(util::base64url_encode("\xfb\xff"), "-_8");
}

TEST(Encoding, Base64UrlDecodeAcceptsPaddingAndThePlainAlphabet) {
    EXPECT_EQ(util::base64url_decode("Zm9vYmE"), "fooba");
    EXPECT_EQ(util::base64url_decode("Zm9vYmE="), "fooba");
    EXPECT_EQ(util::base64url_decode("-_8"), "\xfb\xff");
    EXPECT_EQ(util::base64url_decode("+/8="), "\xfb\xff");
}

TEST(Encoding, Base64UrlDecodeRefusesWhatNoEncoderWrites) {
    EXPECT_FALSE(util::base64url_decode("Zm9vY"));   // 5 characters: 4n + 1
    EXPECT_FALSE(util::base64url_decode("Zm9*"));
    EXPECT_FALSE(util::base64url_decode("Zm 9v"));
}

TEST(Encoding, Base64UrlRoundTripsEveryByte) {
    std::string all;
    for (int i = 0; i < 256; ++i) all.push_back(static_cast<char>(i));
    for (std::size_t length = 0; length <= all.size(); length += 37) {
        const std::string raw = all.substr(0, length);
        EXPECT_EQ(util::base64url_decode(util::base64url_encode(raw)), raw) << length;
    }
}

}  // namespace
