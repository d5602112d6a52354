// Tests of envoy::token_verdict(): what the gateway's answer to /auth/check_jwt says of a token.
#include <gtest/gtest.h>

#include "envoy/TokenCheck.hpp"

using envoy::TokenVerdict;

namespace {

envoy::HttpResponse answer(long status, std::string body, std::string error = {}) {
    envoy::HttpResponse response;
    response.status = status;
    response.body = std::move(body);
    response.error = std::move(error);
    return response;
}

}  // namespace

TEST(TokenCheck, ValidTokenPageIsAcceptance) {
    EXPECT_EQ(envoy::token_verdict(answer(200, "<!DOCTYPE html><h2>Valid token.</h2>\n")), TokenVerdict::Accepted);
}

TEST(TokenCheck, UnauthorizedIsRejection) {
    EXPECT_EQ(envoy::token_verdict(answer(401, "401 Unauthorized\n")), TokenVerdict::Rejected);
}

TEST(TokenCheck, SuccessWithoutValidTokenIsRejection) {
    EXPECT_EQ(envoy::token_verdict(answer(200, "<h2>Invalid token.</h2>")), TokenVerdict::Rejected);
}

TEST(TokenCheck, OtherErrorsSayNothingOfTheToken) {
    EXPECT_EQ(envoy::token_verdict(answer(500, "Valid token")), TokenVerdict::NoVerdict);
    EXPECT_EQ(envoy::token_verdict(answer(0, "", "Connection refused")), TokenVerdict::NoVerdict);
}
