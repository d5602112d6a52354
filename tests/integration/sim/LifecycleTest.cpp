// tests/integration/sim: start-up announcement, loopback binding and quick clean shutdown on
// SIGTERM/SIGINT while a stream client is connected.
#include "SimHarness.hpp"

#include <gtest/gtest.h>

#include <signal.h>

#include <atomic>
#include <chrono>
#include <thread>

using namespace simtest;

namespace {

void expect_quick_exit_with_stream_client(int signo) {
    const std::string folder = "7.6.175_with_cts_3phase";
    auto sim = launch_simulator({"--capture", capture(folder), "--stream-interval-ms", "100"});
    ASSERT_TRUE(sim.ready());
    std::string token = run_sim({"--make-token", "installer", "--capture", capture(folder)});
    std::atomic<std::size_t> received{0};
    StreamResult result;
    std::thread client([&] {
        result = read_stream(sim.url + "/stream/meter", {token}, 1000, 20s,
                             [&](std::size_t n) { received = n; });
    });
    EXPECT_TRUE(testsupport::wait_until([&] { return received.load() >= 1; }, 5s));
    auto start = std::chrono::steady_clock::now();
    sim.process->signal(signo);
    auto code = sim.process->wait_exit(2s);
    auto took = std::chrono::steady_clock::now() - start;
    client.join();
    ASSERT_TRUE(code.has_value()) << "still running 2 s after the signal";
    EXPECT_EQ(*code, 0);
    EXPECT_LT(took, std::chrono::seconds(2));
    EXPECT_GE(result.events.size(), 1u);
}

}  // namespace

TEST(SimLifecycle, SigtermWithOpenStreamExitsZeroQuickly) { expect_quick_exit_with_stream_client(SIGTERM); }

TEST(SimLifecycle, SigintWithOpenStreamExitsZeroQuickly) { expect_quick_exit_with_stream_client(SIGINT); }

TEST(SimLifecycle, TwoSimulatorsGetDifferentFreePorts) {
    auto a = launch_simulator({"--capture", capture("4.10.35")});
    auto b = launch_simulator({"--capture", capture("4.10.35")});
    ASSERT_TRUE(a.ready() && b.ready());
    EXPECT_NE(a.url, b.url);
    EXPECT_EQ(a.url.rfind("http://127.0.0.1:", 0), 0u);
    EXPECT_EQ(get(a.url + "/info").status, 200);
    EXPECT_EQ(get(b.url + "/info").status, 200);
}
