// config: the daemon's settings as one plain struct, filled by config::load() (Load.hpp).
//
// Every field mirrors one key of config.ini (same section and name as the upstream Python
// driver, plus our additions); docs/configuration.md documents each one. The struct holds
// values only: no I/O, no validation logic. Paths are already absolute (relative paths in the
// file are taken relative to the directory of the config file). Fields holding secrets are
// marked; they must never be logged or published.
#pragma once

#include <optional>
#include <string>

#include "log/Log.hpp"
#include "util/Text.hpp"

namespace config {

struct Config {
    struct Envoy {
        enum class Firmware { Auto, Pre7, Token };

        // address, split: host without brackets ("192.168.1.50", "envoy.local", "fe80::1"),
        // the port when one was given, the scheme ("http"/"https") when one was forced.
        std::string host;
        std::optional<int> port;
        std::optional<std::string> scheme;
        Firmware firmware = Firmware::Auto;
        std::string firmware_text = "auto";  // the value as written, for messages
        std::string password;                // secret: pre-7 installer password, empty = derive
        std::string serial;
        std::string enlighten_user;
        std::string enlighten_password;  // secret
        std::string token;               // secret: a JWT pasted by the user
        std::string token_cache;         // cloud-token cache file (absolute path)
        enum class Certificate { Auto, Any, Pinned };
        Certificate certificate = Certificate::Auto;  // which TLS key the gateway must present
        std::string certificate_pin;     // Pinned: "sha256//..."
        std::string enlighten_login_url = "https://enlighten.enphaseenergy.com/login/login.json";
        std::string entrez_token_url = "https://entrez.enphaseenergy.com/tokens";
        std::string cloud_ca_file;       // CA bundle for the two URLs above (absolute), empty = system CAs
        int fetch_production_historic_interval = 3600;  // s
        int stream_timeout = 5;                         // s of silence = stalled stream
        int request_timeout = 10;                       // s
        int source_retry_interval = 300;                // s before a failed better source is tried again

        // "host", "host:port", "[v6]" or "[v6]:port": what goes between "//" and the path.
        std::string authority() const { return util::authority(host, port); }
    };

    struct Pv {
        int max = 700;          // W rated
        int position = 0;       // 0 AC input 1, 1 AC output, 2 AC input 2
        int inverter_count = 0; // 0 = take from the gateway
        std::string inverter_type;
        int device_instance = 61;
        std::string custom_name;
    };

    struct Data {
        struct Fetch {
            bool enabled;
            int interval;         // s
            bool publish_always;  // false: publish on change only
        };
        Fetch devices{false, 3600, false};
        Fetch inverters{false, 300, false};
        Fetch events{false, 3600, false};
    };

    struct Grid {
        bool enabled = false;
        int device_instance = 31;
    };

    struct Mqtt {
        bool enabled = false;
        std::string broker_address;
        int broker_port = 1883;
        int publish_interval = 5;  // s
        bool tls_enabled = false;
        std::string tls_path_to_ca;  // absolute path, empty = system CAs
        bool tls_insecure = false;
        std::string username;
        std::string password;  // secret
        bool retain = false;
        std::string topic_meters = "enphase/envoy-s/meters";
        std::string topic_inverters = "enphase/envoy-s/inverters";
        std::string topic_devices = "enphase/envoy-s/devices";
        std::string topic_events = "enphase/envoy-s/events";
        std::string topic_availability = "enphase/envoy-s/status";
        std::string client_id;  // empty = derived
    };

    struct Energy {
        std::string state_dir;  // absolute; default: the config file's directory
        std::string volatile_dir = "/run/dbus-enphase-envoy";
        int flush_interval = 900;  // s
    };

    logging::Level log_level = logging::Level::Warning;
    std::string path;  // the file this came from, as given to load()
    Envoy envoy;
    Pv pv;
    Data data;
    Mqtt mqtt;
    Grid grid;
    Energy energy;
};

}  // namespace config
