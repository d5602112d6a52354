// tests/integration/mqtt: the network thread with nothing to publish, against a real mosquitto
// broker: it sleeps through the keepalive period (no periodic tick) yet keeps the session alive
// with libmosquitto's PINGREQ, and stop() still ends it at once in every state.
#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <string>

#include "Broker.hpp"
#include "Process.hpp"
#include "Subscriber.hpp"
#include "LoopPump.hpp"
#include "loop/EventLoop.hpp"
#include "mqtt/ClientId.hpp"
#include "mqtt/Connection.hpp"
#include "mqtt/Publisher.hpp"

namespace {

using namespace std::chrono_literals;
using mqtttest::Broker;
using mqtttest::Subscriber;
using testsupport::pump_for;
using testsupport::pump_until;

mqtt::Settings settings_for(int port, int keepalive) {
    mqtt::Settings settings;
    settings.host = "127.0.0.1";
    settings.port = port;
    settings.client_id = mqtt::default_client_id("idle-test");
    settings.keepalive = keepalive;
    return settings;
}

// How many times this process's thread called name went to sleep and was woken (its
// voluntary context switches); -1 when there is no such thread.
long wake_ups(const std::string& name) {
    for (const auto& task : std::filesystem::directory_iterator("/proc/self/task")) {
        std::ifstream comm(task.path() / "comm");
        std::string text;
        if (!std::getline(comm, text) || text != name) continue;
        std::ifstream status(task.path() / "status");
        const std::string key = "voluntary_ctxt_switches:";
        for (std::string line; std::getline(status, line);) {
            if (line.rfind(key, 0) == 0) return std::stol(line.substr(key.size()));
        }
    }
    return -1;
}

// Times publisher.shutdown().
std::chrono::milliseconds shutdown_time(mqtt::Publisher& publisher) {
    auto before = loop::Clock::now();
    publisher.shutdown();
    return std::chrono::duration_cast<std::chrono::milliseconds>(loop::Clock::now() - before);
}

// Well inside the bound Connection.hpp states (at once; up to 2 s to flush a connected
// session), and far below the idle wait: a stop() that waited for a timeout would miss it.
constexpr auto kPromptShutdown = 500ms;

TEST(MqttIdle, SessionOutlivesSeveralKeepalivePeriodsWithoutPublishing) {
    Broker broker;
    Subscriber subscriber(broker.port());
    loop::EventLoop loop;
    auto settings = settings_for(broker.port(), 5);  // mosquitto drops the client after 7.5 s of silence
    mqtt::Publisher publisher(loop, settings);
    publisher.start();
    ASSERT_TRUE(pump_until(loop, [&] { return subscriber.last(settings.topic_availability) == "online"; }));
    pump_for(loop, 100ms);
    const long before = wake_ups("ee-mqtt");
    ASSERT_GE(before, 0) << "no thread named ee-mqtt";

    // Four keepalive periods with nothing to send; the session must never drop.
    auto until = loop::Clock::now() + 21s;
    bool stayed_up = true;
    while (loop::Clock::now() < until) {
        loop.run_once(50ms);
        stayed_up = stayed_up && publisher.connected();
    }
    const long woken = wake_ups("ee-mqtt") - before;
    EXPECT_TRUE(stayed_up);
    EXPECT_EQ(subscriber.count(settings.topic_availability), 1u) << "reconnected";
    EXPECT_EQ(broker.output().find("exceeded timeout"), std::string::npos) << broker.output();
    // About two per keepalive period (the PINGREQ when it is due, its PINGRESP); a one-second
    // tick would make it more than 21.
    EXPECT_LE(woken, 14);
    std::cout << "network thread woke " << woken << " times in 21 s with keepalive 5 s\n";

    publisher.publish_meters(model::Snapshot{});
    ASSERT_TRUE(pump_until(loop, [&] { return subscriber.count(settings.topic_meters) == 1; }));
    EXPECT_LT(shutdown_time(publisher), kPromptShutdown);
    EXPECT_TRUE(testsupport::wait_until([&] { return subscriber.last(settings.topic_availability) == "offline"; }));
}

// These drive mqtt::Connection without an availability topic, so nothing is published on
// stop(): only stop() itself can wake the network thread. Keepalive 60 s: libmosquitto's own
// wait would last up to a minute.
mqtt::Settings silent_settings(int port) {
    auto settings = settings_for(port, 60);
    settings.topic_availability.clear();
    return settings;
}

std::chrono::milliseconds stop_time(mqtt::Connection& connection) {
    auto before = loop::Clock::now();
    connection.stop();
    return std::chrono::duration_cast<std::chrono::milliseconds>(loop::Clock::now() - before);
}

TEST(MqttIdle, StopIsPromptWhenConnectedAndIdle) {
    Broker broker;
    loop::EventLoop loop;
    mqtt::Connection connection(loop, silent_settings(broker.port()), {});
    connection.start();
    ASSERT_TRUE(pump_until(loop, [&] { return connection.connected(); }));
    pump_for(loop, 1100ms);  // deep in its wait (a 1 s tick would have just restarted)
    EXPECT_LT(stop_time(connection), kPromptShutdown);
    EXPECT_FALSE(connection.connected());
}

TEST(MqttIdle, StopIsPromptWhileWaitingForTheConnack) {
    // A listening socket that never accepts: the TCP handshake completes, no CONNACK ever comes.
    int listener = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    ASSERT_GE(listener, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    ASSERT_EQ(::bind(listener, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
    ASSERT_EQ(::listen(listener, 4), 0);
    ASSERT_EQ(::getsockname(listener, reinterpret_cast<sockaddr*>(&address), &length), 0);

    loop::EventLoop loop;
    mqtt::Connection connection(loop, silent_settings(ntohs(address.sin_port)), {});
    connection.start();
    pump_for(loop, 1100ms);
    EXPECT_FALSE(connection.connected());
    EXPECT_LT(stop_time(connection), kPromptShutdown);
    ::close(listener);
}

TEST(MqttIdle, StopIsPromptDuringTheBackoff) {
    loop::EventLoop loop;
    // Refused: the second attempt at 1 s, then a 2 s backoff.
    mqtt::Connection connection(loop, silent_settings(mqtttest::free_port()), {});
    connection.start();
    pump_for(loop, 1500ms);
    EXPECT_FALSE(connection.connected());
    EXPECT_LT(stop_time(connection), kPromptShutdown);
}

}  // namespace
