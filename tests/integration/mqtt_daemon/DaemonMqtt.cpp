// tests/integration/mqtt_daemon: fixture implementation.
#include "DaemonMqtt.hpp"

#include <csignal>
#include <cstdio>

namespace mqttdaemon {

using namespace testsupport;

std::size_t occurrences(const std::string& haystack, const std::string& needle) {
    std::size_t count = 0;
    for (auto at = haystack.find(needle); at != std::string::npos; at = haystack.find(needle, at + needle.size())) ++count;
    return count;
}

std::string DaemonMqtt::mqtt_section(int port, const std::string& more) {
    return "[MQTT]\nenabled = 1\nbroker_address = 127.0.0.1\nbroker_port = " + std::to_string(port) + "\n" + more + "\n";
}

void DaemonMqtt::start(const std::string& capture, const std::string& user, const std::vector<std::string>& sim_args,
                       const std::string& extra) {
    sim = start_simulator(capture, sim_args);
    config = write_config(dir, sim.address(), "token = " + make_token(capture, user) + "\n", extra);
    if (broker) subscriber = std::make_unique<mqtttest::Subscriber>(broker->port(), subscriber_options);
    start_daemon();
    client = std::make_unique<dbustest::BusClient>(bus.address());
}

void DaemonMqtt::TearDown() {
    if (HasFailure() && sim.process) std::printf("simulator output:\n%s\n", sim.process->output().c_str());
}

void DaemonMqtt::start_daemon() {
    daemon = std::make_unique<Process>(daemon_command(config),
                                       bus.environment());
}

void DaemonMqtt::stop_daemon() {
    daemon->signal(SIGTERM);
    auto code = daemon->wait_exit(15s);
    ASSERT_TRUE(code.has_value()) << daemon->output();
    EXPECT_EQ(*code, 0) << daemon->output();
}

Json DaemonMqtt::last_json(mqtttest::Subscriber& subscriber, const std::string& topic) {
    std::string payload = subscriber.last(topic);
    if (payload.empty()) return nullptr;
    return Json::parse(payload, nullptr, false);
}

Json DaemonMqtt::wait_for_json(const std::string& topic, std::chrono::milliseconds timeout) {
    Json json;
    wait_until([&] {
        json = last_json(*subscriber, topic);
        return json.is_object();
    }, timeout);
    return json.is_object() ? json : Json(nullptr);
}

bool DaemonMqtt::pv_connected_is(int value, std::chrono::milliseconds timeout) {
    return wait_until([&] {
        try {
            return client->get_value(kPv, "/Connected").value == value;
        } catch (const std::exception&) {
            return false;
        }
    }, timeout);
}

std::size_t DaemonMqtt::daemon_count(const std::string& text) { return occurrences(daemon->output(), text); }

}  // namespace mqttdaemon
