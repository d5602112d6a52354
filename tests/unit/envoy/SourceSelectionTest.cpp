// Tests of envoy::SourceSelection: which source runs first, the fallback when the active one
// fails, the background try of a better one and its promotion, and where the inverters' figure
// is read, on explicit time points.
#include <gtest/gtest.h>

#include "envoy/ClientStatus.hpp"
#include "envoy/SourceSelection.hpp"

using envoy::BetterSource;
using envoy::Fallback;
using envoy::InvertersEndpoint;
using envoy::SourceOffer;
using envoy::SourceSelection;
using model::Source;
using namespace std::chrono_literals;

namespace {

constexpr auto kRetry = 300s;
const SourceSelection::TimePoint kT0 = SourceSelection::TimePoint{} + 1000h;

SourceOffer metered() {  // class B: CTs in /ivp/meters and in production.json
    SourceOffer offer;
    offer.meters_enabled = true;
    offer.production_json_meters = true;
    offer.inverters_in_production_json = true;
    offer.metering_board = true;
    return offer;
}

SourceOffer without_meter_endpoints() {  // class E: /ivp/meters answers 404, production.json has active CTs
    SourceOffer offer;
    offer.production_json_meters = true;
    offer.inverters_in_production_json = true;
    offer.metering_board = true;
    return offer;
}

SourceOffer not_metered() {  // class A: no CTs, production.json has the inverters' figure
    SourceOffer offer;
    offer.inverters_in_production_json = true;
    return offer;
}

SourceSelection selection(const SourceOffer& offer) {
    SourceSelection result(kRetry);
    result.set_offer(offer);
    return result;
}

// The active source fails at `now` (as Client reports it: blocked, then the fallback).
Fallback fail_active(SourceSelection& s, SourceSelection::TimePoint now, bool unreachable = false) {
    const Source failed = s.active();
    s.block(failed, now);
    return s.fall_back(failed, unreachable, now);
}

// What /Mgmt/Connection shows for the selection's active source.
std::string connection(const SourceSelection& s) {
    envoy::ClientStatus status;
    status.base_url = "https://192.168.1.50";
    status.source = s.active();
    return status.connection();
}

}  // namespace

TEST(SourceSelection, PossibleSourcesFollowWhatTheGatewayOffers) {
    auto b = selection(metered());
    EXPECT_TRUE(b.possible(Source::Stream));
    EXPECT_TRUE(b.possible(Source::Readings));
    EXPECT_TRUE(b.possible(Source::ProductionJson));
    EXPECT_TRUE(b.possible(Source::Inverters));
    EXPECT_FALSE(b.possible(Source::None));

    auto e = selection(without_meter_endpoints());
    EXPECT_FALSE(e.possible(Source::Stream));
    EXPECT_FALSE(e.possible(Source::Readings));
    EXPECT_TRUE(e.possible(Source::ProductionJson));

    auto a = selection(not_metered());
    EXPECT_FALSE(a.possible(Source::ProductionJson));
    EXPECT_TRUE(a.possible(Source::Inverters));
}

TEST(SourceSelection, TheBestSourceTheGatewayOffersRunsFirst) {
    auto b = selection(metered());
    EXPECT_EQ(b.begin(false, kT0), Source::Stream);
    EXPECT_EQ(b.active(), Source::Stream);
    EXPECT_EQ(connection(b), "https://192.168.1.50 (stream)");

    auto e = selection(without_meter_endpoints());
    EXPECT_EQ(e.begin(false, kT0), Source::ProductionJson);

    auto a = selection(not_metered());
    EXPECT_EQ(a.begin(false, kT0), Source::Inverters);
    EXPECT_EQ(connection(a), "https://192.168.1.50 (inverters)");
}

TEST(SourceSelection, PreferringCountersStartsWithTheReadings) {
    auto b = selection(metered());
    EXPECT_EQ(b.begin(true, kT0), Source::Readings);
    // Without meters there are no readings: the next one down.
    auto a = selection(not_metered());
    EXPECT_EQ(a.begin(true, kT0), Source::Inverters);
}

TEST(SourceSelection, RefusedStreamFallsBackToTheReadings) {
    auto s = selection(metered());
    s.begin(false, kT0);
    const Fallback fallback = fail_active(s, kT0 + 2s);
    EXPECT_EQ(fallback.action, Fallback::Action::SwitchTo);
    EXPECT_EQ(fallback.next, Source::Readings);
    EXPECT_EQ(s.active(), Source::Readings);
    EXPECT_EQ(connection(s), "https://192.168.1.50 (readings)");
}

TEST(SourceSelection, FallbackGoesDownTheRanksOneAtATime) {
    auto s = selection(metered());
    s.begin(false, kT0);
    EXPECT_EQ(fail_active(s, kT0).next, Source::Readings);
    EXPECT_EQ(fail_active(s, kT0 + 1s).next, Source::ProductionJson);
    EXPECT_EQ(fail_active(s, kT0 + 2s).next, Source::Inverters);
    EXPECT_EQ(s.inverters_endpoint(), InvertersEndpoint::ProductionJson);  // metered: production.json has their figure
}

TEST(SourceSelection, ReadingsFallBackToTheInvertersWhereProductionJsonHasNoCts) {
    SourceOffer offer = metered();
    offer.production_json_meters = false;
    auto s = selection(offer);
    s.begin(true, kT0);
    EXPECT_EQ(fail_active(s, kT0).next, Source::Inverters);
}

TEST(SourceSelection, AGatewayThatStopsAnsweringIsProbedAgain) {
    auto s = selection(metered());
    s.begin(false, kT0);
    const Fallback fallback = fail_active(s, kT0, true);
    EXPECT_EQ(fallback.action, Fallback::Action::Reprobe);
    EXPECT_FALSE(fallback.none_left);
    EXPECT_EQ(s.active(), Source::None);
    EXPECT_EQ(connection(s), "https://192.168.1.50 (none)");
}

TEST(SourceSelection, WithEverySourceBlockedTheGatewayIsProbedAgain) {
    SourceOffer offer;  // nothing but the inverters, read from /api/v1/production
    auto s = selection(offer);
    EXPECT_EQ(s.begin(false, kT0), Source::Inverters);
    EXPECT_EQ(s.inverters_endpoint(), InvertersEndpoint::ApiV1Production);
    const Fallback fallback = fail_active(s, kT0);
    EXPECT_EQ(fallback.action, Fallback::Action::Reprobe);
    EXPECT_TRUE(fallback.none_left);
    EXPECT_EQ(s.active(), Source::None);
}

TEST(SourceSelection, ABlockedSourceIsAvailableAgainAfterTheRetryInterval) {
    auto s = selection(metered());
    s.block(Source::Stream, kT0);
    EXPECT_EQ(s.best_available(Source::Stream, kT0), Source::Readings);
    EXPECT_EQ(s.best_available(Source::Stream, kT0 + kRetry - 1ms), Source::Readings);
    EXPECT_EQ(s.best_available(Source::Stream, kT0 + kRetry), Source::Stream);
    // Only the given rank and worse are considered.
    EXPECT_EQ(s.best_available(Source::ProductionJson, kT0), Source::ProductionJson);
}

TEST(SourceSelection, ANewStartForgetsTheBlockedSources) {
    auto s = selection(metered());
    s.begin(false, kT0);
    fail_active(s, kT0);
    s.stop();
    EXPECT_EQ(s.active(), Source::None);
    EXPECT_EQ(s.begin(false, kT0 + 1s), Source::Stream);
}

TEST(SourceSelection, InvertersAreReadFromApiV1WhereTheGatewayIsNotMetered) {
    auto s = selection(not_metered());
    s.begin(false, kT0);
    EXPECT_EQ(s.inverters_endpoint(), InvertersEndpoint::ApiV1Production);
}

TEST(SourceSelection, FailingApiV1MovesTheInvertersToProductionJsonForGood) {
    auto s = selection(not_metered());
    s.begin(false, kT0);
    const Fallback fallback = fail_active(s, kT0);
    EXPECT_EQ(fallback.action, Fallback::Action::InvertersFromProductionJson);
    EXPECT_EQ(s.active(), Source::Inverters);
    EXPECT_EQ(s.inverters_endpoint(), InvertersEndpoint::ProductionJson);
    // production.json failing as well leaves nothing.
    EXPECT_TRUE(fail_active(s, kT0 + 10s).none_left);
    // A new probe keeps reading production.json: /api/v1/production stays unusable.
    s.begin(false, kT0 + 20s);
    EXPECT_EQ(s.inverters_endpoint(), InvertersEndpoint::ProductionJson);
}

TEST(SourceSelection, ApiV1FailingWithoutAnInvertersFigureInProductionJsonIsTheEnd) {
    SourceOffer offer;
    offer.metering_board = true;
    auto s = selection(offer);
    s.begin(false, kT0);
    EXPECT_EQ(s.inverters_endpoint(), InvertersEndpoint::ApiV1Production);
    EXPECT_TRUE(fail_active(s, kT0).none_left);
}

TEST(SourceSelection, ABetterSourceIsLookedForOnlyWhereOneExists) {
    auto s = selection(metered());
    s.begin(false, kT0);
    EXPECT_FALSE(s.better_possible());  // the stream is the best
    fail_active(s, kT0);
    EXPECT_TRUE(s.better_possible());

    auto a = selection(not_metered());
    a.begin(false, kT0);
    EXPECT_FALSE(a.better_possible());
    EXPECT_FALSE(selection(metered()).better_possible());  // nothing runs yet
}

TEST(SourceSelection, TheBetterSourceIsTriedOnceItsBlockEnds) {
    auto s = selection(metered());
    s.begin(false, kT0);
    fail_active(s, kT0);
    EXPECT_EQ(s.look_for_better(kT0 + 10s), BetterSource::LookLater);
    EXPECT_FALSE(s.candidate());
    EXPECT_EQ(s.look_for_better(kT0 + kRetry), BetterSource::Try);
    EXPECT_EQ(s.candidate(), Source::Stream);
    EXPECT_EQ(s.active(), Source::Readings);  // still delivering meanwhile
    EXPECT_EQ(s.look_for_better(kT0 + kRetry), BetterSource::NotNow);  // one candidate at a time
}

TEST(SourceSelection, TheCandidateIsPromotedWhenItDelivers) {
    auto s = selection(metered());
    s.begin(false, kT0);
    fail_active(s, kT0);
    ASSERT_EQ(s.look_for_better(kT0 + kRetry), BetterSource::Try);
    EXPECT_EQ(s.promote(), Source::Readings);
    EXPECT_EQ(s.active(), Source::Stream);
    EXPECT_FALSE(s.candidate());
    EXPECT_FALSE(s.better_possible());
    EXPECT_EQ(connection(s), "https://192.168.1.50 (stream)");
}

TEST(SourceSelection, AFailedCandidateIsBlockedAgain) {
    auto s = selection(metered());
    s.begin(false, kT0);
    fail_active(s, kT0);
    ASSERT_EQ(s.look_for_better(kT0 + kRetry), BetterSource::Try);
    const auto failed_at = kT0 + kRetry + 1s;
    s.block(Source::Stream, failed_at);
    s.drop_candidate();
    EXPECT_EQ(s.active(), Source::Readings);
    EXPECT_EQ(s.look_for_better(failed_at + kRetry - 1s), BetterSource::LookLater);
    EXPECT_EQ(s.look_for_better(failed_at + kRetry), BetterSource::Try);
}

TEST(SourceSelection, TheBestUnblockedSourceIsTheCandidate) {
    auto s = selection(metered());
    s.begin(false, kT0);
    fail_active(s, kT0);               // stream blocked until kT0 + retry
    fail_active(s, kT0 + 100s);        // readings blocked until kT0 + 100 s + retry
    EXPECT_EQ(s.active(), Source::ProductionJson);
    ASSERT_EQ(s.look_for_better(kT0 + kRetry), BetterSource::Try);
    EXPECT_EQ(s.candidate(), Source::Stream);
}

TEST(SourceSelection, NothingIsLookedForWhileNoSourceRuns) {
    auto s = selection(metered());
    s.begin(false, kT0);
    fail_active(s, kT0);
    s.stop();
    EXPECT_EQ(s.look_for_better(kT0 + kRetry), BetterSource::NotNow);
    EXPECT_FALSE(s.candidate());
}

TEST(SourceSelection, ProductionJsonIsNoLongerPossibleOnceItsCtsAreGone) {
    auto s = selection(without_meter_endpoints());
    EXPECT_EQ(s.begin(false, kT0), Source::ProductionJson);
    SourceOffer offer = without_meter_endpoints();
    offer.production_json_meters = false;
    s.set_offer(offer);
    EXPECT_EQ(fail_active(s, kT0).next, Source::Inverters);
    EXPECT_FALSE(s.better_possible());
}
