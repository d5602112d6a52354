// tests/support/mqtt: a libmosquitto subscriber that records every message per topic.
#pragma once

#include <mosquitto.h>

#include "mqtt/MosquittoHandle.hpp"

#include <chrono>
#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace mqtttest {

struct Message {
    std::string payload;
    bool retained = false;
};

struct SubscriberOptions {
    std::string username;
    std::string password;
    std::string ca_file;  // TLS when not empty
};

class Subscriber {
public:
    // Connects to 127.0.0.1:port and subscribes to "#"; throws if that fails within 10 s.
    explicit Subscriber(int port, SubscriberOptions options = {});
    ~Subscriber();
    Subscriber(const Subscriber&) = delete;
    Subscriber& operator=(const Subscriber&) = delete;

    std::vector<Message> messages(const std::string& topic);
    std::size_t count(const std::string& topic);
    // The last payload on topic, empty when none arrived.
    std::string last(const std::string& topic);

private:
    static void on_message(struct mosquitto*, void* self, const struct mosquitto_message* message);
    static void on_subscribe(struct mosquitto*, void* self, int, int, const int*);

    mqtt::MosquittoHandle client_;
    std::mutex mutex_;
    bool subscribed_ = false;
    std::map<std::string, std::vector<Message>> messages_;
};

}  // namespace mqtttest
