// mqtt: default client id and validation of Settings.
#include "mqtt/Settings.hpp"

#include <unistd.h>

namespace mqtt {

std::string default_client_id(std::string_view id, std::string_view gateway) {
    std::string client_id = "EnphaseEnvoyPV_" + std::string(id);
    if (!gateway.empty()) client_id += "-" + std::string(gateway);
    return client_id;
}

util::Problem validate(const Settings& settings) {
    if (settings.host.empty()) return "MQTT broker address is empty";
    if (settings.port < 1 || settings.port > 65535) {
        return "MQTT broker port " + std::to_string(settings.port) + " is not in 1..65535";
    }
    if (settings.client_id.empty()) return "MQTT client id is empty";
    if (settings.keepalive < 5 || settings.keepalive > 65535) {
        return "MQTT keepalive " + std::to_string(settings.keepalive) + " s is not in 5..65535";
    }
    if (settings.publish_interval < 1) {
        return "MQTT publish_interval " + std::to_string(settings.publish_interval) + " s is below the minimum of 1 s";
    }
    if (!settings.password.empty() && settings.username.empty()) return "MQTT password given without a username";
    const std::pair<const char*, const std::string*> topics[] = {
        {"topic_availability", &settings.topic_availability}, {"topic_meters", &settings.topic_meters},
        {"topic_devices", &settings.topic_devices},           {"topic_inverters", &settings.topic_inverters},
        {"topic_events", &settings.topic_events},             {"topic_battery", &settings.topic_battery},
    };
    for (const auto& [name, topic] : topics) {
        if (topic->empty()) return std::string("MQTT ") + name + " is empty";
        if (topic->find_first_of("#+") != std::string::npos) {
            return std::string("MQTT ") + name + " \"" + *topic + "\" contains a wildcard (+ or #)";
        }
    }
    if (settings.tls_enabled && !settings.ca_file.empty() && ::access(settings.ca_file.c_str(), R_OK) != 0) {
        return "MQTT TLS CA file \"" + settings.ca_file + "\" cannot be read";
    }
    return std::nullopt;
}

}  // namespace mqtt
