// mqtt: the publisher's settings, a plain struct the app fills from config.ini [MQTT]. The
// defaults of the members config.ini sets are the ones the key table uses too
// (mqtt/Defaults.hpp), so a struct made without config.ini (tests) behaves as an empty [MQTT].
#pragma once

#include <string>
#include <string_view>

#include "mqtt/Defaults.hpp"
#include "util/Problem.hpp"

namespace mqtt {

struct Settings {
    std::string host;                 // broker name or address
    int port = mqtt::defaults::kMqttBrokerPort;
    std::string username;             // empty: no authentication
    std::string password;             // secret: never logged
    bool tls_enabled{};
    std::string ca_file;              // PEM CA bundle; empty: the system's CAs (/etc/ssl/certs)
    bool tls_insecure{};              // true: no hostname check of the broker's certificate
    std::string client_id;            // see default_client_id()
    int keepalive = 60;               // s
    bool retain{};                    // retain flag of the data topics
    std::string topic_availability{mqtt::defaults::kMqttTopicAvailability};  // "online" / "offline", retained
    std::string topic_meters{mqtt::defaults::kMqttTopicMeters};
    std::string topic_devices{mqtt::defaults::kMqttTopicDevices};
    std::string topic_inverters{mqtt::defaults::kMqttTopicInverters};
    std::string topic_events{mqtt::defaults::kMqttTopicEvents};
    std::string topic_battery{mqtt::defaults::kMqttTopicBattery};
    int publish_interval = mqtt::defaults::kMqttPublishInterval;  // s, meters at most once per interval (minimum 1)
};

// "EnphaseEnvoyPV_<id>", id being the GX's unique id (VRM portal id) when known; with a gateway
// name (one of several gateways on the GX, see docs/configuration.md) "EnphaseEnvoyPV_<id>-<name>".
std::string default_client_id(std::string_view id, std::string_view gateway = {});

// The Publisher's precondition (config validation already refuses such values from config.ini):
// nothing when usable, else one sentence naming the problem (never containing the password).
[[nodiscard]] util::Problem validate(const Settings& settings);

}  // namespace mqtt
