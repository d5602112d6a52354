// tests/integration/mqtt_daemon: the fixture of the daemon's MQTT tests. A private
// dbus-daemon, the gateway simulator, a real mosquitto broker, the daemon with [MQTT]
// pointing at it, a recording subscriber and a raw D-Bus client.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "Broker.hpp"
#include "Subscriber.hpp"
#include "BusClient.hpp"
#include "Expected.hpp"
#include "Harness.hpp"

namespace mqttdaemon {

using namespace std::chrono_literals;

inline constexpr const char* k1Phase = "8.2.4345_with_device_data";
inline constexpr const char* k3Phase = "7.6.175_adapted_3phase";
inline constexpr const char* kMeters = "enphase/envoy-s/meters";
inline constexpr const char* kDevices = "enphase/envoy-s/devices";
inline constexpr const char* kInverters = "enphase/envoy-s/inverters";
inline constexpr const char* kEvents = "enphase/envoy-s/events";
inline constexpr const char* kStatus = "enphase/envoy-s/status";
inline constexpr const char* kDebug = "[DEFAULT]\nlogging = DEBUG\n";  // config lines that log every fetch

class DaemonMqtt : public ::testing::Test {
protected:
    testsupport::PrivateBus bus;
    testsupport::TempDir dir;
    testsupport::Simulator sim;
    std::unique_ptr<mqtttest::Broker> broker;
    std::unique_ptr<testsupport::Process> daemon;
    std::unique_ptr<mqtttest::Subscriber> subscriber;
    mqtttest::SubscriberOptions subscriber_options;  // used by start()
    std::unique_ptr<dbustest::BusClient> client;
    std::string config;

    // On failure: what the simulator printed.
    void TearDown() override;

    // "[MQTT]" with enabled, broker_address 127.0.0.1 and broker_port, then more keys.
    static std::string mqtt_section(int port, const std::string& more = "");
    // Starts the simulator for capture (plus sim_args) and the daemon with a token of user and
    // the extra config.ini text; a subscriber on the broker when there is one.
    void start(const std::string& capture, const std::string& user, const std::vector<std::string>& sim_args,
               const std::string& extra);
    void start_daemon();
    // SIGTERM; expects exit code 0.
    void stop_daemon();
    // Parsed last payload of topic (null when none arrived).
    static Json last_json(mqtttest::Subscriber& subscriber, const std::string& topic);
    // Waits until the last payload on topic parses; returns it (null at the deadline).
    Json wait_for_json(const std::string& topic, std::chrono::milliseconds timeout = 30s);
    // Waits until the PV inverter answers /Connected == value.
    bool pv_connected_is(int value, std::chrono::milliseconds timeout = 30s);
    // How many times text occurs in the daemon's output so far.
    std::size_t daemon_count(const std::string& text);
};

std::size_t occurrences(const std::string& haystack, const std::string& needle);

}  // namespace mqttdaemon
