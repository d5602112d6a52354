// Tests of envoy::EndpointPresence: when an endpoint unit decides that the gateway does not
// have its endpoint, and when it asks again.
#include <gtest/gtest.h>

#include "envoy/EndpointPresence.hpp"

using envoy::EndpointPresence;

TEST(EndpointPresence, NotFoundBeforeAnyAnswerMeansNotHereUntilTheNextProbe) {
    EndpointPresence presence;
    ASSERT_TRUE(presence.worth_asking(1));
    EXPECT_TRUE(presence.absent_after(404, 1));
    EXPECT_FALSE(presence.worth_asking(1));
    EXPECT_FALSE(presence.worth_asking(1));
    EXPECT_TRUE(presence.worth_asking(2));  // the gateway was probed again
    EXPECT_TRUE(presence.worth_asking(2));
}

TEST(EndpointPresence, UnauthorizedBeforeAnyAnswerMeansNotHere) {
    EndpointPresence presence;
    EXPECT_TRUE(presence.absent_after(401, 3));
    EXPECT_FALSE(presence.worth_asking(3));
}

TEST(EndpointPresence, OnceItAnsweredErrorsAreFailuresOnly) {
    EndpointPresence presence;
    EXPECT_FALSE(presence.absent_after(200, 1));
    EXPECT_FALSE(presence.absent_after(404, 1));
    EXPECT_FALSE(presence.absent_after(401, 2));
    EXPECT_TRUE(presence.worth_asking(2));
}

TEST(EndpointPresence, OtherErrorsSayNothingOfThePresence) {
    EndpointPresence presence;
    EXPECT_FALSE(presence.absent_after(500, 1));
    EXPECT_FALSE(presence.absent_after(0, 1));  // no answer at all
    EXPECT_TRUE(presence.worth_asking(1));
    EXPECT_TRUE(presence.absent_after(404, 1));  // never answered yet
}
