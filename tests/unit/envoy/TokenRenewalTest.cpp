// Tests of envoy::renewal_time(), token_valid_at() and cloud_retry_delay().
#include <gtest/gtest.h>

#include "envoy/TokenRenewal.hpp"

using model::TokenInfo;
using model::TokenUser;

namespace {

constexpr std::int64_t kDay = 24 * 3600;
constexpr std::int64_t kT0 = 1'700'000'000;

TokenInfo token(TokenUser user, std::int64_t issued, std::int64_t expires) {
    TokenInfo info;
    info.user = user;
    info.issued = issued;
    info.expires = expires;
    return info;
}

}  // namespace

TEST(TokenRenewal, OwnerTokenOfAYearIsRenewedThirtyDaysAhead) {
    EXPECT_EQ(envoy::renewal_time(token(TokenUser::Owner, kT0, kT0 + 365 * kDay)), kT0 + 335 * kDay);
}

TEST(TokenRenewal, InstallerTokenOfTwelveHoursIsRenewedAnHourAhead) {
    EXPECT_EQ(envoy::renewal_time(token(TokenUser::Installer, kT0, kT0 + 12 * 3600)), kT0 + 11 * 3600);
}

TEST(TokenRenewal, UnknownAccountCountsAsOwner) {
    EXPECT_EQ(envoy::renewal_time(token(TokenUser::Unknown, kT0, kT0 + 365 * kDay)), kT0 + 335 * kDay);
}

TEST(TokenRenewal, ShortLivedTokenIsRenewedAtHalfItsLifetime) {
    EXPECT_EQ(envoy::renewal_time(token(TokenUser::Owner, kT0, kT0 + 20)), kT0 + 10);
    EXPECT_EQ(envoy::renewal_time(token(TokenUser::Installer, kT0, kT0 + 3600)), kT0 + 1800);
}

TEST(TokenRenewal, OldTokenNearItsExpiryIsDueAlready) {
    // Issued 364 days ago, one day left: the renewal time lies in the past.
    auto at = envoy::renewal_time(token(TokenUser::Owner, kT0 - 364 * kDay, kT0 + kDay));
    ASSERT_TRUE(at);
    EXPECT_LT(*at, kT0);
}

TEST(TokenRenewal, WithoutIssueTimeOnlyTheMarginCounts) {
    EXPECT_EQ(envoy::renewal_time(token(TokenUser::Owner, 0, kT0 + kDay)), kT0 + kDay - 30 * kDay);
}

TEST(TokenRenewal, NoStatedExpiryMeansNoRenewal) {
    EXPECT_EQ(envoy::renewal_time(token(TokenUser::Owner, kT0, 0)), std::nullopt);
}

TEST(TokenRenewal, Validity) {
    EXPECT_TRUE(envoy::token_valid_at(token(TokenUser::Owner, 0, kT0 + 1), kT0));
    EXPECT_FALSE(envoy::token_valid_at(token(TokenUser::Owner, 0, kT0), kT0));
    EXPECT_TRUE(envoy::token_valid_at(token(TokenUser::Owner, 0, 0), kT0));
}

TEST(TokenRenewal, RetryDelayDoublesFromAMinuteToAnHour) {
    using std::chrono::seconds;
    EXPECT_EQ(envoy::cloud_retry_delay(1), seconds(60));
    EXPECT_EQ(envoy::cloud_retry_delay(2), seconds(120));
    EXPECT_EQ(envoy::cloud_retry_delay(3), seconds(240));
    EXPECT_EQ(envoy::cloud_retry_delay(6), seconds(1920));
    EXPECT_EQ(envoy::cloud_retry_delay(7), seconds(3600));
    EXPECT_EQ(envoy::cloud_retry_delay(100), seconds(3600));
}
