// tests/integration/sim: fault injection from the command line and at runtime through
// POST /__sim/fault (fail, malformed, delay, stream stall and close).
#include "SimHarness.hpp"

#include "envoy/parsers/InstallerPassword.hpp"

#include <gtest/gtest.h>

using namespace simtest;

namespace {
// Pre-7 capture: plain HTTP, Digest only on the stream.
const std::string kFolder = "4.10.35";
Auth installer() { return {"", "", "installer", envoy::parse::installer_password("121938119871")}; }
}  // namespace

TEST(SimFaults, FailMalformedAndDelayFlags) {
    auto sim = launch_simulator({"--capture", capture(kFolder), "--fail", "/api/v1/production=500", "--fail", "/ivp/meters=401",
             "--malformed", "/production.json", "--delay-ms", "/api/v1/production/inverters=400"});
    ASSERT_TRUE(sim.ready()) << sim.process->output();
    EXPECT_EQ(get(sim.url + "/api/v1/production").status, 500);
    EXPECT_EQ(get(sim.url + "/ivp/meters").status, 401);

    auto bad = get(sim.url + "/production.json?details=1");
    EXPECT_EQ(bad.status, 200);
    EXPECT_FALSE(nlohmann::json::accept(bad.body)) << bad.body;

    auto slow = get(sim.url + "/api/v1/production/inverters");
    EXPECT_EQ(slow.status, 200);
    EXPECT_GE(slow.seconds, 0.39);
    auto fast = get(sim.url + "/info");
    EXPECT_LT(fast.seconds, 0.39);
    EXPECT_TRUE(nlohmann::json::accept(get(sim.url + "/ivp/meters/readings").body));
}

TEST(SimFaults, StreamFailMalformedAndDelay) {
    auto sim = launch_simulator({"--capture", capture(kFolder), "--stream-interval-ms", "30", "--malformed", "/stream/meter",
             "--delay-ms", "/stream/meter=300"});
    ASSERT_TRUE(sim.ready());
    auto r = read_stream(sim.url + "/stream/meter", installer(), 2, 5s);
    ASSERT_EQ(r.events.size(), 2u);
    EXPECT_FALSE(nlohmann::json::accept(r.events[0])) << r.events[0];
    EXPECT_GE(r.seconds, 0.3);

    ASSERT_EQ(post(sim.url + "/__sim/fault", "fail=/stream/meter=503").status, 200);
    EXPECT_EQ(get(sim.url + "/stream/meter", installer()).status, 503);
}

TEST(SimFaults, StallAfterKeepsTheConnectionOpenAndSilent) {
    auto sim = launch_simulator({"--capture", capture(kFolder), "--stream-interval-ms", "20", "--stall-after", "2"});
    ASSERT_TRUE(sim.ready());
    auto r = read_stream(sim.url + "/stream/meter", installer(), 10, 1500ms);
    EXPECT_EQ(r.events.size(), 2u);
    EXPECT_EQ(r.code, CURLE_OPERATION_TIMEDOUT);  // still open when the client gave up
}

TEST(SimFaults, CloseAfterEndsTheConnection) {
    auto sim = launch_simulator({"--capture", capture(kFolder), "--stream-interval-ms", "20", "--close-after", "3"});
    ASSERT_TRUE(sim.ready());
    auto r = read_stream(sim.url + "/stream/meter", installer(), 10, 5s);
    EXPECT_EQ(r.events.size(), 3u);
    EXPECT_NE(r.code, CURLE_OPERATION_TIMEDOUT);
    EXPECT_LT(r.seconds, 2.0);
}

TEST(SimFaults, RuntimeControlChangesAndClearsFaults) {
    auto sim = launch_simulator({"--capture", capture(kFolder), "--stream-interval-ms", "20"});
    ASSERT_TRUE(sim.ready());
    const std::string control = sim.url + "/__sim/fault";
    EXPECT_EQ(get(sim.url + "/ivp/meters/readings").status, 200);

    auto set = post(control, "fail=/ivp/meters/readings=500\nmalformed=/api/v1/production\n");
    EXPECT_EQ(set.status, 200) << set.body;
    EXPECT_EQ(get(sim.url + "/ivp/meters/readings").status, 500);
    EXPECT_FALSE(nlohmann::json::accept(get(sim.url + "/api/v1/production").body));

    ASSERT_EQ(post(control, "close-after=1").status, 200);
    EXPECT_EQ(read_stream(sim.url + "/stream/meter", installer(), 5, 5s).events.size(), 1u);

    ASSERT_EQ(post(control, "clear").status, 200);
    EXPECT_EQ(get(sim.url + "/ivp/meters/readings").status, 200);
    EXPECT_TRUE(nlohmann::json::accept(get(sim.url + "/api/v1/production").body));
    EXPECT_EQ(read_stream(sim.url + "/stream/meter", installer(), 5, 5s).events.size(), 5u);

    auto bad = post(control, "explode=/x");
    EXPECT_EQ(bad.status, 400);
    EXPECT_NE(bad.body.find("unknown fault 'explode'"), std::string::npos) << bad.body;
    EXPECT_EQ(post(control, "fail=/x=abc").status, 400);
}
