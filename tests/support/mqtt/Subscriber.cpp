// tests/support/mqtt: the recording subscriber (libmosquitto's own thread, guarded by a mutex).
#include "Subscriber.hpp"

#include <stdexcept>

#include "Process.hpp"

namespace mqtttest {

Subscriber::Subscriber(int port, SubscriberOptions options) {
    mosquitto_lib_init();
    client_.reset(mosquitto_new(nullptr, true, this));
    if (!client_) throw std::runtime_error("mosquitto_new");
    if (!options.username.empty()) mosquitto_username_pw_set(client_.get(), options.username.c_str(), options.password.c_str());
    if (!options.ca_file.empty()) mosquitto_tls_set(client_.get(), options.ca_file.c_str(), nullptr, nullptr, nullptr, nullptr);
    mosquitto_message_callback_set(client_.get(), &Subscriber::on_message);
    mosquitto_subscribe_callback_set(client_.get(), &Subscriber::on_subscribe);
    mosquitto_connect_callback_set(client_.get(), [](struct mosquitto* client, void*, int rc) {
        if (rc == 0) mosquitto_subscribe(client, nullptr, "#", 1);
    });
    if (mosquitto_connect(client_.get(), "127.0.0.1", port, 30) != MOSQ_ERR_SUCCESS) throw std::runtime_error("subscriber connect");
    mosquitto_loop_start(client_.get());
    bool ok = testsupport::wait_until([this] {
        std::lock_guard lock(mutex_);
        return subscribed_;
    });
    if (!ok) throw std::runtime_error("subscriber: no SUBACK within the deadline");
}

Subscriber::~Subscriber() {
    mosquitto_disconnect(client_.get());
    mosquitto_loop_stop(client_.get(), false);
}

void Subscriber::on_subscribe(struct mosquitto*, void* self, int, int, const int*) {
    auto* subscriber = static_cast<Subscriber*>(self);
    std::lock_guard lock(subscriber->mutex_);
    subscriber->subscribed_ = true;
}

void Subscriber::on_message(struct mosquitto*, void* self, const struct mosquitto_message* message) {
    auto* subscriber = static_cast<Subscriber*>(self);
    std::lock_guard lock(subscriber->mutex_);
    std::string payload(static_cast<const char*>(message->payload), static_cast<std::size_t>(message->payloadlen));
    subscriber->messages_[message->topic].push_back(Message{std::move(payload), message->retain});
}

std::vector<Message> Subscriber::messages(const std::string& topic) {
    std::lock_guard lock(mutex_);
    auto found = messages_.find(topic);
    return found == messages_.end() ? std::vector<Message>{} : found->second;
}

std::size_t Subscriber::count(const std::string& topic) { return messages(topic).size(); }

std::string Subscriber::last(const std::string& topic) {
    auto list = messages(topic);
    return list.empty() ? std::string() : list.back().payload;
}

}  // namespace mqtttest
