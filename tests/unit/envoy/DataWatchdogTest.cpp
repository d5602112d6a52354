// Tests of envoy::lost_after(): how long each source may stay silent before data counts as lost.
#include <gtest/gtest.h>

#include "envoy/DataWatchdog.hpp"

using model::Source;
using namespace std::chrono_literals;

TEST(DataWatchdog, TheStreamMayBeSilentALittleLongerThanItsStallTimeout) {
    envoy::Settings settings;
    settings.stream_timeout = 5s;
    EXPECT_EQ(envoy::lost_after(settings, Source::Stream), 6s);
}

TEST(DataWatchdog, PolledSourcesMayMissTwoPolls) {
    envoy::Settings settings;
    settings.stream_timeout = 5s;
    settings.readings_interval = 1s;
    settings.production_json_interval = 5s;
    settings.inverters_interval = 10s;
    EXPECT_EQ(envoy::lost_after(settings, Source::Readings), 6s);  // never less than the stream's
    EXPECT_EQ(envoy::lost_after(settings, Source::ProductionJson), 15s);
    EXPECT_EQ(envoy::lost_after(settings, Source::Inverters), 30s);
}
