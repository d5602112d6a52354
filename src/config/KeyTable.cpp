// config: the key table: every key of config.ini with the member it fills, its default, its
// range or check, its secrecy and its help, in the order load() reads them (a key checked
// against another comes after it). See Keys.hpp; docs/configuration.md follows this table.
#include "config/KeyReaders.hpp"
#include "config/Keys.hpp"
#include "config/Values.hpp"
#include "mqtt/Defaults.hpp"

namespace config {
namespace {

using C = Config;
using rule::Boolean;
using rule::CloudUrl;
using rule::Integer;
using rule::Interval;
using rule::Path;
using rule::Special;
using rule::Switch;
using rule::Text;

constexpr int kWeek = 604800;  // s, the longest fetch interval
constexpr std::string_view kDeviceInstance = "a device instance from 0 to 999";
constexpr std::string_view kPublishingType = "0 (publish on change) or 1 (publish on every fetch)";
constexpr std::string_view kTopic = "an MQTT topic without the wildcards + and #";
constexpr std::string_view kCaFile = "a readable CA certificate file";

bool always(const Config&) { return true; }
bool mqtt_tls_on(const Config& c) { return c.mqtt.enabled && c.mqtt.tls_enabled; }

// fetch_<name>, fetch_<name>_interval and fetch_<name>_publishing_type of [DATA].
template <auto Fetch>
void add_fetch(std::vector<Key>& keys, std::string_view name, std::string_view enabled_help, int interval,
               int minimum, std::string_view interval_help, std::string_view publishing_help) {
    using F = C::Data::Fetch;
    const std::string prefix = "fetch_" + std::string(name);
    keys.push_back({"DATA", prefix, Boolean{field<&C::data, Fetch, &F::enabled>(), false}, {}, enabled_help});
    keys.push_back({"DATA", prefix + "_interval", Interval{field<&C::data, Fetch, &F::interval>(), interval, minimum, kWeek}, {},
                    interval_help});
    keys.push_back({"DATA", prefix + "_publishing_type", Switch{field<&C::data, Fetch, &F::publish_always>(), false},
                    kPublishingType, publishing_help});
}

std::vector<Key> table() {
    using E = C::Envoy;
    using M = C::Mqtt;
    namespace d = mqtt::defaults;
    std::vector<Key> keys = {
        {"DEFAULT", "logging", Special{detail::read_log_level, detail::show_log_level, "WARNING"},
         "ERROR, WARNING, INFO or DEBUG", "Log level: `ERROR`, `WARNING`, `INFO` or `DEBUG` (any case)."},

        {"ENVOY", "address", Special{detail::read_address, detail::show_address, ""},
         "the IP address or host name of the gateway", "The gateway's IP address or host name.", Visibility::Shown,
         Presence::Required},
        {"ENVOY", "firmware", Special{detail::read_firmware, detail::show_firmware, "auto"},
         "auto, D5 (firmware before 7), D7 (firmware 7 and later) or a version such as D7.6.175",
         "`auto` asks the gateway (`/info`)."},
        {"ENVOY", "password", Text{field<&C::envoy, &E::password>(), ""}, {},
         "Firmware before 7: the installer password for the live meter stream.", Visibility::Secret},
        {"ENVOY", "serial", Text{field<&C::envoy, &E::serial>(), "", detail::is_alnum_text},
         "the gateway serial number (letters and digits only)", "The gateway's serial number (label, or `/info`)."},
        {"ENVOY", "enlighten_user", Text{field<&C::envoy, &E::enlighten_user>(), ""}, {},
         "Firmware 7 and later: Enphase Enlighten login (e-mail) used to fetch and renew the token automatically, "
         "together with `enlighten_password` and `serial`."},
        {"ENVOY", "enlighten_password", Text{field<&C::envoy, &E::enlighten_password>(), ""}, {},
         "Password of `enlighten_user`.", Visibility::Secret},
        {"ENVOY", "token", Text{field<&C::envoy, &E::token>(), "", detail::is_jwt},
         "a JWT: three base64url parts separated by dots",
         "Firmware 7 and later: an access token (JWT) created at entrez.enphaseenergy.com.", Visibility::Secret},
        {"ENVOY", "token_cache", Path{field<&C::envoy, &E::token_cache>(), "token.cache"}, {},
         "File where a token fetched from the cloud is kept between restarts (written atomically with mode 0600)."},
        {"ENVOY", "certificate", Special{detail::read_certificate, detail::show_certificate, "auto"},
         "auto (the gateway's key at first contact), any (no check: insecure) or a key pin sha256//<44 base64 "
         "characters>",
         "Which TLS key a token-firmware gateway must present before the token is sent to it."},
        {"ENVOY", "cloud_ca_file", Path{field<&C::envoy, &E::cloud_ca_file>(), "", always}, kCaFile,
         "CA certificates (PEM file) that the cloud's TLS certificates are verified with; empty uses the system's CA "
         "store."},
        {"ENVOY", "enlighten_login_url",
         CloudUrl{field<&C::envoy, &E::enlighten_login_url>(), "https://enlighten.enphaseenergy.com/login/login.json"},
         {}, "Cloud login endpoint; change only for testing."},
        {"ENVOY", "entrez_token_url",
         CloudUrl{field<&C::envoy, &E::entrez_token_url>(), "https://entrez.enphaseenergy.com/tokens"}, {},
         "Cloud token endpoint; change only for testing."},
        {"ENVOY", "fetch_production_historic_interval",
         Interval{field<&C::envoy, &E::fetch_production_historic_interval>(), 3600, 900, kWeek}, {},
         "Seconds between requests for the historic production totals."},
        {"ENVOY", "stream_timeout", Integer{field<&C::envoy, &E::stream_timeout>(), 5, 2, 60},
         "a whole number of seconds from 2 to 60",
         "Seconds without data after which the live meter stream counts as stalled and is reconnected."},
        {"ENVOY", "request_timeout", Integer{field<&C::envoy, &E::request_timeout>(), 10, 2, 120},
         "a whole number of seconds from 2 to 120", "Seconds one request to the gateway may take."},
        {"ENVOY", "source_retry_interval", Integer{field<&C::envoy, &E::source_retry_interval>(), 300, 5, 86400},
         "a whole number of seconds from 5 to 86400",
         "Seconds after which a better data source that failed (the meter stream, the readings) is tried again in "
         "the background while the fallback keeps delivering."},

        {"PV", "max", Integer{field<&C::pv, &C::Pv::max>(), 700, 1, 1000000},
         "the rated power in watts, from 1 to 1000000", "Rated power of the PV system in watts (1 to 1000000)."},
        {"PV", "position", Integer{field<&C::pv, &C::Pv::position>(), 0, 0, 2},
         "0 (AC input 1), 1 (AC output) or 2 (AC input 2)",
         "Where the PV system is connected: `0` AC input 1 (also when there is no Multi/Quattro), `1` AC output, `2` "
         "AC input 2."},
        {"PV", "inverter_count", Integer{field<&C::pv, &C::Pv::inverter_count>(), 0, 0, 10000},
         "the number of microinverters from 0 to 10000 (0 = ask the gateway)",
         "Number of microinverters, shown in the device list; `0` takes it from the gateway."},
        {"PV", "inverter_type", Text{field<&C::pv, &C::Pv::inverter_type>(), ""}, {},
         "Microinverter model shown in the device list, e.g. `IQ7A`."},
        {"PV", "device_instance", Integer{field<&C::pv, &C::Pv::device_instance>(), 61, 0, 999}, kDeviceInstance,
         "VRM device instance of the PV inverter (0 to 999)."},
        {"PV", "custom_name", Text{field<&C::pv, &C::Pv::custom_name>(), ""}, {},
         "Name shown in the GUI instead of the product name."},
        {"PV", "power_limiting", Boolean{field<&C::pv, &C::Pv::power_limiting>(), false}, {},
         "Let Venus's ESS limit the production (zero or limited feed-in) through the gateway's DPEL setting: "
         "`/Ac/PowerLimit` on D-Bus. Needs an installer token and firmware 8 with a production CT; see "
         "[power-limiting.md](power-limiting.md)."},
        {"PV", "power_limit_mode", Text{field<&C::pv, &C::Pv::power_limit_mode>(), "production", detail::is_limit_mode},
         "production or export",
         "`production`: the gateway holds its production at the limit Venus asks for (what ESS expects); `export`: "
         "it holds the export measured at its own net CT at that value instead."},
        {"PV", "power_limit_restore", Interval{field<&C::pv, &C::Pv::power_limit_restore>(), 60, 10, 3600}, {},
         "Seconds without a new limit from Venus after which full production is restored (a controller that "
         "stopped never leaves the roof throttled); minimum 10, maximum 3600."},
        {"PV", "power_limit_interval", Interval{field<&C::pv, &C::Pv::power_limit_interval>(), 10, 5, 600}, {},
         "Least seconds between two limits written to the gateway (it needs 10 to 20 s to settle on one); minimum "
         "5, maximum 600."},
    };
    add_fetch<&C::Data::devices>(keys, "devices", "Fetch device status (yes/no).", 3600, 60,
                                 "Seconds between fetches; minimum 60, maximum 604800.",
                                 "`0` publish only when something changed, `1` publish after every fetch.");
    add_fetch<&C::Data::inverters>(keys, "inverters", "Fetch per-microinverter production (yes/no).", 300, 60,
                                   "Seconds between fetches; minimum 60, maximum 604800.",
                                   "`0` on change, `1` after every fetch.");
    add_fetch<&C::Data::events>(keys, "events", "Fetch the latest events (yes/no).", 3600, 900,
                                "Seconds between fetches; minimum 900, maximum 604800.",
                                "`0` on change, `1` after every fetch.");
    const std::vector<Key> rest = {
        {"GRID", "enabled", Boolean{field<&C::grid, &C::Grid::enabled>(), false}, {},
         "Also publish the gateway's net-consumption meter as the Venus grid meter (needs consumption CTs)."},
        {"GRID", "device_instance", Integer{field<&C::grid, &C::Grid::device_instance>(), 31, 0, 999},
         kDeviceInstance, "VRM device instance of the grid meter (0 to 999)."},

        {"BATTERY", "enabled", Boolean{field<&C::battery, &C::Battery::enabled>(), false}, {},
         "Also publish the gateway's IQ Batteries and AC Batteries as one Venus battery "
         "(`com.victronenergy.battery.enphase_envoy`)."},
        {"BATTERY", "device_instance", Integer{field<&C::battery, &C::Battery::device_instance>(), 512, 0, 999},
         kDeviceInstance, "VRM device instance of the battery (0 to 999)."},

        {"MQTT", "enabled", Boolean{field<&C::mqtt, &M::enabled>(), false}, {}, "Publish the JSON topics over MQTT."},
        {"MQTT", "broker_address", Special{detail::read_broker_address, detail::show_broker_address, ""},
         "the IP address or host name of the MQTT broker (MQTT is enabled)",
         "Broker IP address or host name (no scheme, no port)."},
        {"MQTT", "broker_port", Integer{field<&C::mqtt, &M::broker_port>(), d::kMqttBrokerPort, 1, 65535},
         "a port from 1 to 65535", "Broker port (1 to 65535); usually 8883 with TLS."},
        {"MQTT", "publish_interval", Interval{field<&C::mqtt, &M::publish_interval>(), d::kMqttPublishInterval, 1, 3600},
         {}, "Seconds between publications of the meters topic; minimum 1 (smaller values are raised), maximum 3600."},
        {"MQTT", "tls_enabled", Boolean{field<&C::mqtt, &M::tls_enabled>(), false}, {}, "Connect with TLS."},
        {"MQTT", "tls_insecure", Boolean{field<&C::mqtt, &M::tls_insecure>(), false}, {},
         "Do not check the broker's host name against its certificate."},
        {"MQTT", "tls_path_to_ca", Path{field<&C::mqtt, &M::tls_path_to_ca>(), "", mqtt_tls_on}, kCaFile,
         "CA certificate file that signed the broker's certificate; empty uses the system's CAs."},
        {"MQTT", "username", Text{field<&C::mqtt, &M::username>(), ""}, {}, "Broker login."},
        {"MQTT", "password", Text{field<&C::mqtt, &M::password>(), ""}, {}, "Broker password.", Visibility::Secret},
        {"MQTT", "retain", Boolean{field<&C::mqtt, &M::retain>(), false}, {},
         "Publish the data topics with the retain flag."},
        {"MQTT", "topic_meters", Text{field<&C::mqtt, &M::topic_meters>(), d::kMqttTopicMeters, detail::is_topic},
         kTopic, "Topic of the meters JSON (PV, grid, consumption)."},
        {"MQTT", "topic_inverters",
         Text{field<&C::mqtt, &M::topic_inverters>(), d::kMqttTopicInverters, detail::is_topic}, kTopic,
         "Topic of the per-microinverter JSON."},
        {"MQTT", "topic_devices", Text{field<&C::mqtt, &M::topic_devices>(), d::kMqttTopicDevices, detail::is_topic},
         kTopic, "Topic of the device status JSON."},
        {"MQTT", "topic_events", Text{field<&C::mqtt, &M::topic_events>(), d::kMqttTopicEvents, detail::is_topic},
         kTopic, "Topic of the events JSON."},
        {"MQTT", "topic_battery", Text{field<&C::mqtt, &M::topic_battery>(), d::kMqttTopicBattery, detail::is_topic},
         kTopic, "Topic of the battery JSON (IQ Batteries, AC Batteries, storage CT)."},
        {"MQTT", "topic_availability",
         Text{field<&C::mqtt, &M::topic_availability>(), d::kMqttTopicAvailability, detail::is_topic}, kTopic,
         "Retained `online`/`offline` status of the driver (the broker publishes `offline` when the driver "
         "disappears)."},
        {"MQTT", "client_id", Text{field<&C::mqtt, &M::client_id>(), ""}, {},
         "MQTT client id; empty derives `EnphaseEnvoyPV_<id>` from this machine's unique id (see below)."},

        {"ENERGY", "state_dir", Path{field<&C::energy, &C::Energy::state_dir>(), "."}, {},
         "Folder on persistent storage (`/data` on a GX) for the counters."},
        {"ENERGY", "volatile_dir", Path{field<&C::energy, &C::Energy::volatile_dir>(), "/run/dbus-enphase-envoy"}, {},
         "Folder in RAM for the frequently updated working copy, sparing the SD card."},
        {"ENERGY", "flush_interval", Interval{field<&C::energy, &C::Energy::flush_interval>(), 900, 60, 86400}, {},
         "Seconds between copies from `volatile_dir` to `state_dir`; minimum 60, maximum 86400."},
    };
    keys.insert(keys.end(), rest.begin(), rest.end());
    return keys;
}

}  // namespace

const std::vector<Key>& keys() {
    static const std::vector<Key> all = table();
    return all;
}

}  // namespace config
