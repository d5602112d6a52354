// mqtt: the publisher's settings, a plain struct the app fills from config.ini [MQTT].
#pragma once

#include <string>
#include <string_view>

namespace mqtt {

struct Settings {
    std::string host;                 // broker name or address
    int port = 1883;
    std::string username;             // empty: no authentication
    std::string password;             // secret: never logged
    bool tls_enabled = false;
    std::string ca_file;              // PEM CA bundle; empty: the system's CAs (/etc/ssl/certs)
    bool tls_insecure = false;        // true: no hostname check of the broker's certificate
    std::string client_id;            // see default_client_id()
    int keepalive = 60;               // s
    bool retain = false;              // retain flag of the data topics
    std::string topic_availability = "enphase/envoy-s/status";  // "online" / "offline", retained
    std::string topic_meters = "enphase/envoy-s/meters";
    std::string topic_devices = "enphase/envoy-s/devices";
    std::string topic_inverters = "enphase/envoy-s/inverters";
    std::string topic_events = "enphase/envoy-s/events";
    int publish_interval = 1;         // s, meters at most once per interval (minimum 1)
};

// "EnphaseEnvoyPV_<id>", id being the GX's unique id (VRM portal id) when known.
std::string default_client_id(std::string_view id);

// Empty when usable, else one sentence naming the problem (never containing the password).
std::string validate(const Settings& settings);

}  // namespace mqtt
