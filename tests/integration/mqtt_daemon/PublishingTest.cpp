// Integration: when the daemon publishes. Devices and inverters on change or after every
// fetch (fetch_*_publishing_type; these tests wait for the second fetch, about 63 s, as the
// minimum interval is 60 s); meters at most once per publish_interval, and only on change.
#include <cstdio>

#include "DaemonMqtt.hpp"

using namespace testsupport;

namespace mqttdaemon {
namespace {

constexpr const char* kInventoryFetched = "/inventory.json: fetched";
constexpr const char* kInvertersFetched = "/api/v1/production/inverters: fetched";

class Publishing : public DaemonMqtt {
protected:
    // Both fetches every 60 s; devices_always / inverters_always are the publishing types.
    void start_fetching(bool devices_always, bool inverters_always) {
        broker = std::make_unique<mqtttest::Broker>();
        std::string data = "[DATA]\nfetch_devices = 1\nfetch_devices_interval = 60\nfetch_devices_publishing_type = " +
                           std::to_string(devices_always ? 1 : 0) +
                           "\nfetch_inverters = 1\nfetch_inverters_interval = 60\nfetch_inverters_publishing_type = " +
                           std::to_string(inverters_always ? 1 : 0) + "\n";
        start(k1Phase, "owner", {"--static"}, mqtt_section(broker->port()) + data + kDebug);
        ASSERT_TRUE(pv_connected_is(1)) << daemon->output();
    }

    // Waits for the second fetch of both paths (unchanged data), then checks the counts.
    void expect_after_second_fetch(const std::string& always_topic, const std::string& on_change_topic) {
        ASSERT_TRUE(wait_until([&] { return subscriber->count(always_topic) == 1 && subscriber->count(on_change_topic) == 1; }, 30s))
            << daemon->output();
        auto first_at = std::chrono::steady_clock::now();
        ASSERT_TRUE(wait_until([&] { return daemon_count(kInventoryFetched) >= 2 && daemon_count(kInvertersFetched) >= 2; }, 100s))
            << daemon->output();
        EXPECT_GE(std::chrono::steady_clock::now() - first_at, 50s) << "the second fetch came before the interval";
        EXPECT_TRUE(wait_until([&] { return subscriber->count(always_topic) == 2; }, 10s)) << daemon->output();
        // The unchanged payload is not sent again (it would arrive with the other one).
        EXPECT_FALSE(wait_until([&] { return subscriber->count(on_change_topic) > 1; }, 2s));
        auto always = subscriber->messages(always_topic);
        ASSERT_EQ(always.size(), 2u);
        EXPECT_EQ(always[0].payload, always[1].payload);
        stop_daemon();
    }
};

TEST_F(Publishing, DevicesAfterEveryFetchInvertersOnlyOnChange) {
    start_fetching(true, false);
    expect_after_second_fetch(kDevices, kInverters);
}

TEST_F(Publishing, InvertersAfterEveryFetchDevicesOnlyOnChange) {
    start_fetching(false, true);
    expect_after_second_fetch(kInverters, kDevices);
}

// A live stream (5 samples/s, every one different) with publish_interval = 2: the meters
// topic gets the latest values about every 2 s, never faster, while D-Bus gets every sample.
TEST_F(Publishing, MetersAtMostOncePerPublishInterval) {
    broker = std::make_unique<mqtttest::Broker>();
    start(k3Phase, "installer", {"--stream-interval-ms", "200"}, mqtt_section(broker->port(), "publish_interval = 2"));
    ASSERT_TRUE(pv_connected_is(1)) << daemon->output();
    ASSERT_TRUE(wait_until([&] { return subscriber->count(kMeters) > 0; }, 30s)) << daemon->output();
    int index_before = client->get_value(kPv, "/UpdateIndex").value.get<int>();
    std::vector<std::chrono::steady_clock::time_point> arrivals;
    std::size_t seen = subscriber->count(kMeters);
    auto window_start = std::chrono::steady_clock::now();
    wait_until([&] {
        std::size_t now_count = subscriber->count(kMeters);
        for (; seen < now_count; ++seen) arrivals.push_back(std::chrono::steady_clock::now());
        return false;
    }, 11s);
    auto window = std::chrono::steady_clock::now() - window_start;
    int index_after = client->get_value(kPv, "/UpdateIndex").value.get<int>();
    int samples = (index_after - index_before + 256) % 256;
    ASSERT_GE(arrivals.size(), 3u) << daemon->output();
    EXPECT_LE(arrivals.size(), static_cast<std::size_t>(window / 2s) + 1);
    for (std::size_t i = 1; i < arrivals.size(); ++i) {
        EXPECT_GE(arrivals[i] - arrivals[i - 1], 1900ms) << "message " << i;
    }
    EXPECT_GT(samples, static_cast<int>(arrivals.size()) * 2) << "D-Bus samples " << samples;
    std::printf("meters: %zu messages in %.1f s with publish_interval 2, %d D-Bus samples meanwhile\n", arrivals.size(),
                std::chrono::duration<double>(window).count(), samples);
    stop_daemon();
}

// Unchanging values (--static readings) with publish_interval = 1: one meters message while
// the snapshots keep coming (D-Bus /UpdateIndex advances).
TEST_F(Publishing, UnchangedMetersAreNotPublishedAgain) {
    broker = std::make_unique<mqtttest::Broker>();
    start(k1Phase, "owner", {"--static"}, mqtt_section(broker->port(), "publish_interval = 1"));
    ASSERT_TRUE(pv_connected_is(1)) << daemon->output();
    ASSERT_TRUE(wait_until([&] { return subscriber->count(kMeters) > 0; }, 30s)) << daemon->output();
    int first = client->get_value(kPv, "/UpdateIndex").value.get<int>();
    ASSERT_TRUE(wait_until([&] {
        int now = client->get_value(kPv, "/UpdateIndex").value.get<int>();
        return (now - first + 256) % 256 >= 3;
    }, 30s)) << daemon->output();
    EXPECT_EQ(subscriber->count(kMeters), 1u);
    stop_daemon();
}

}  // namespace
}  // namespace mqttdaemon
