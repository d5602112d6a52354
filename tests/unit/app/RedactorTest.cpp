// tests/unit/app: Redactor — what --capture removes from a gateway's answers, and that the
// capture stays coherent.
#include <gtest/gtest.h>

#include "app/Redactor.hpp"

namespace {

using app::Redactor;

TEST(Redactor, SerialsAreReplacedEverywhereByTheSameFakeOfTheSameShape) {
    Redactor r({});
    r.learn("<envoy_info><device><sn>122035000000</sn></device></envoy_info>");
    r.learn(R"([{"type":"PCU","devices":[{"serial_num":"122013000007","part_num":"800-00630-r02"}]}])");
    r.learn(R"({"553648384":{"sn":"envoyserial","devName":"pcu"}})");
    ASSERT_EQ(r.serials().size(), 3u);
    const std::string info = r.redact("<sn>122035000000</sn> and again 122035000000");
    const std::string fake = info.substr(4, 12);
    EXPECT_NE(fake, "122035000000");
    EXPECT_EQ(fake.find_first_not_of("0123456789"), std::string::npos) << fake;
    EXPECT_EQ(info, "<sn>" + fake + "</sn> and again " + fake);
    EXPECT_EQ(r.redact(R"({"serialNumber":"122035000000"})"), R"({"serialNumber":")" + fake + R"("})");
    const std::string named = r.redact("envoyserial");
    EXPECT_NE(named, "envoyserial");
    EXPECT_EQ(named.size(), std::string("envoyserial").size());
    EXPECT_NE(r.redact("122013000007"), r.redact("122035000000"));
}

TEST(Redactor, OnlyWholeWordsAreSerials) {
    Redactor r({});
    r.learn(R"({"serial_num":"123456"})");
    EXPECT_EQ(r.redact(R"({"whLifetime": 1234567.5, "eid": 91234560})"), R"({"whLifetime": 1234567.5, "eid": 91234560})");
    EXPECT_NE(r.redact(R"({"sn": "123456"})"), R"({"sn": "123456"})");
    r.learn(R"({"serial_num":"42"})");  // too short to be told from any number
    EXPECT_EQ(r.serials().size(), 1u);
}

TEST(Redactor, SecretsAndTokensAreRemoved) {
    Redactor r({"s3cret-Pass", "owner@example.net", ""});
    const std::string token = "eyJhbGciOiJIUzI1NiJ9.eyJzZXJpYWwiOiIxMjMifQ.c2lnbmF0dXJl";
    const std::string out = r.redact("password s3cret-Pass user owner@example.net token " + token);
    EXPECT_EQ(out.find("s3cret-Pass"), std::string::npos) << out;
    EXPECT_EQ(out.find("owner@example.net"), std::string::npos) << out;
    EXPECT_EQ(out.find("eyJ"), std::string::npos) << out;
    EXPECT_NE(out.find("REDACTED"), std::string::npos) << out;
}

TEST(Redactor, AddressesAreReplacedConsistently) {
    Redactor r({});
    const std::string out = r.redact(
        "mail jane.doe@isp.example.org, ip 192.168.1.50 gw 192.168.1.1 again 192.168.1.50, mac A4:5E:60:D2:11:0F "
        "or a4-5e-60-d2-11-10, v6 2a02:810d:4b3f::1c, lo 127.0.0.1 any 0.0.0.0 mask 255.255.255.0 ll 169.254.1.1 "
        "version D8.2.4345 time 12:34:56");
    EXPECT_EQ(out.find("jane.doe"), std::string::npos) << out;
    EXPECT_EQ(out.find("192.168.1."), std::string::npos) << out;
    EXPECT_EQ(out.find("A4:5E"), std::string::npos) << out;
    EXPECT_EQ(out.find("a4-5e"), std::string::npos) << out;
    EXPECT_EQ(out.find("2a02"), std::string::npos) << out;
    EXPECT_NE(out.find("ip 192.0.2.1 gw 192.0.2.2 again 192.0.2.1"), std::string::npos) << out;
    EXPECT_NE(out.find("user0@example.com"), std::string::npos) << out;
    EXPECT_NE(out.find("2001:db8::1"), std::string::npos) << out;
    for (const char* kept : {"127.0.0.1", "0.0.0.0", "255.255.255.0", "169.254.1.1", "D8.2.4345", "12:34:56"}) {
        EXPECT_NE(out.find(kept), std::string::npos) << kept << " in " << out;
    }
    // Later texts use the same replacements.
    EXPECT_EQ(r.redact("192.168.1.1"), "192.0.2.2");
}

}  // namespace

namespace {

TEST(Redactor, HugeAnswersAreHandledWithoutRecursionLimits) {
    Redactor r({});
    const std::string letters(1 << 20, 'a');
    EXPECT_EQ(r.redact(letters), letters);
    std::string many_words;
    for (int i = 0; i < 20000; ++i) many_words += "word" + std::to_string(i) + "@host.example ";
    const std::string out = r.redact(many_words);
    EXPECT_EQ(out.find("@host.example"), std::string::npos);
    EXPECT_NE(out.find("user19999@example.com"), std::string::npos);
}

}  // namespace
