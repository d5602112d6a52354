// config: the daemon's settings as one plain struct, filled by config::load() (Load.hpp).
//
// Every field mirrors one key of config.ini (same section and name as the upstream Python
// driver, plus our additions). Which key fills which field, its default, its range and whether
// it is secret is written once, in the key table (Keys.hpp, KeyTable.cpp); docs/configuration.md
// follows that table. The struct holds values only: no defaults, no I/O, no validation logic.
// Paths are already absolute (relative paths in the file are taken relative to the directory
// of the config file). Keys a file leaves unset get defaults that depend on the file's name
// when that names a gateway other than the default one (config/Gateway.hpp). Fields holding
// secrets must never be logged or published.
#pragma once

#include <optional>
#include <string>

#include "log/Log.hpp"
#include "model/GatewayAccess.hpp"
#include "util/Text.hpp"

namespace config {

struct Config {
    struct Envoy {
        // address, split: host without brackets ("192.168.1.50", "envoy.local", "fe80::1"),
        // the port when one was given, the scheme ("http"/"https") when one was forced.
        std::string host;
        std::optional<int> port;
        std::optional<std::string> scheme;
        model::FirmwareChoice firmware{};
        std::string firmware_text;           // the value as written, for messages
        std::string password;                // secret: pre-7 installer password, empty = derive
        std::string serial;
        std::string enlighten_user;
        std::string enlighten_password;  // secret
        std::string token;               // secret: a JWT pasted by the user
        std::string token_cache;         // cloud-token cache file (absolute path)
        model::CertificatePolicy certificate{};  // which TLS key the gateway must present
        std::string certificate_pin;             // Fixed: "sha256//..."
        std::string enlighten_login_url;
        std::string entrez_token_url;
        std::string cloud_ca_file;       // CA bundle for the two URLs above (absolute), empty = system CAs
        int fetch_production_historic_interval{};  // s
        int stream_timeout{};                      // s of silence = stalled stream
        int request_timeout{};                     // s
        int source_retry_interval{};               // s before a failed better source is tried again

        // "host", "host:port", "[v6]" or "[v6]:port": what goes between "//" and the path.
        std::string authority() const { return util::authority(host, port); }
    };

    struct Pv {
        int max{};             // W rated
        int position{};        // 0 AC input 1, 1 AC output, 2 AC input 2
        int inverter_count{};  // 0 = take from the gateway
        std::string inverter_type;
        int device_instance{};
        std::string custom_name;
        bool power_limiting{};           // let Venus's ESS limit production (installer access needed)
        std::string power_limit_mode;    // "production" or "export" (the gateway holds export at its net CT)
        int power_limit_restore{};       // s without a write from Venus before full power returns
        int power_limit_interval{};      // s between two limits written to the gateway
    };

    struct Data {
        struct Fetch {
            bool enabled{};
            int interval{};         // s
            bool publish_always{};  // false: publish on change only
        };
        Fetch devices;
        Fetch inverters;
        Fetch events;
    };

    struct Grid {
        bool enabled{};
        int device_instance{};
    };

    struct Battery {
        bool enabled{};  // the battery service on D-Bus (MQTT's battery topic follows [MQTT] alone)
        int device_instance{};
    };

    struct Mqtt {
        bool enabled{};
        std::string broker_address;
        int broker_port{};
        int publish_interval{};  // s
        bool tls_enabled{};
        std::string tls_path_to_ca;  // absolute path, empty = system CAs
        bool tls_insecure{};
        std::string username;
        std::string password;  // secret
        bool retain{};
        std::string topic_meters;
        std::string topic_inverters;
        std::string topic_devices;
        std::string topic_events;
        std::string topic_battery;
        std::string topic_availability;
        std::string client_id;  // empty = derived
    };

    struct Energy {
        std::string state_dir;     // absolute
        std::string volatile_dir;  // absolute
        int flush_interval{};      // s
    };

    logging::Level log_level{};
    std::string path;  // the file this came from, as given to load()
    // The gateway this file is for, from the file's name: "" for config.ini (the single
    // gateway), "garage" for garage.ini. Some defaults depend on it (config/Gateway.hpp).
    std::string gateway_name;
    Envoy envoy;
    Pv pv;
    Data data;
    Mqtt mqtt;
    Grid grid;
    Battery battery;
    Energy energy;
};

}  // namespace config
