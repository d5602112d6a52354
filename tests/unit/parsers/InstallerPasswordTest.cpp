// tests/unit/parsers: the pre-7 installer password derivation against the published test vector.
#include "envoy/parsers/InstallerPassword.hpp"

#include <gtest/gtest.h>

namespace {

TEST(InstallerPassword, MatchesPublishedTestVector) {
    EXPECT_EQ(envoy::parse::installer_password("122112123456"), "d525d2jh");
}

TEST(InstallerPassword, DependsOnSerialAndHasEightCharacters) {
    const std::string a = envoy::parse::installer_password("121212121212");
    const std::string b = envoy::parse::installer_password("121212121213");
    EXPECT_EQ(a.size(), 8u);
    EXPECT_EQ(b.size(), 8u);
    EXPECT_NE(a, b);
    EXPECT_EQ(a, envoy::parse::installer_password("121212121212"));
}

}  // namespace
