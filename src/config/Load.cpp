// config: config::load(), the list of known keys and the rules for each of them.
#include "config/Load.hpp"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>

#include "config/IniFile.hpp"
#include "config/Reader.hpp"
#include "config/Values.hpp"

namespace config {
namespace {

using detail::IniEntry;
using detail::Reader;

constexpr const char* kPlaceholder = "IP_ADDR_OR_FQDN";
constexpr int kMaxInterval = 604800;  // one week

const std::map<std::string, std::set<std::string>>& known_keys() {
    static const std::map<std::string, std::set<std::string>> keys = {
        {"DEFAULT", {"logging"}},
        {"ENVOY",
         {"address", "password", "fetch_production_historic_interval", "firmware", "serial", "enlighten_user",
          "enlighten_password", "token", "token_cache", "stream_timeout", "request_timeout", "source_retry_interval",
          "enlighten_login_url", "entrez_token_url", "cloud_ca_file", "certificate"}},
        {"PV", {"max", "position", "inverter_count", "inverter_type", "device_instance", "custom_name"}},
        {"DATA",
         {"fetch_devices", "fetch_devices_interval", "fetch_devices_publishing_type", "fetch_inverters",
          "fetch_inverters_interval", "fetch_inverters_publishing_type", "fetch_events", "fetch_events_interval",
          "fetch_events_publishing_type"}},
        {"GRID", {"enabled", "device_instance"}},
        {"MQTT",
         {"enabled", "broker_address", "broker_port", "publish_interval", "tls_enabled", "tls_path_to_ca",
          "tls_insecure", "username", "password", "retain", "topic_meters", "topic_inverters", "topic_devices",
          "topic_events", "topic_availability", "client_id"}},
        {"ENERGY", {"state_dir", "volatile_dir", "flush_interval"}},
    };
    return keys;
}

// Sections where `key` is known, for the hint in an unknown-key warning.
std::string sections_knowing(const std::string& key) {
    std::string found;
    for (const auto& [section, keys] : known_keys()) {
        if (!keys.count(key)) continue;
        found += (found.empty() ? "[" : " or [") + section + "]";
    }
    return found;
}

void warn_about_unknown_and_duplicate_keys(Reader& reader) {
    std::set<std::string> reported_sections;
    std::set<std::pair<std::string, std::string>> seen;
    for (const IniEntry& entry : reader.entries()) {
        if (!seen.insert({entry.section, entry.key}).second) {
            reader.warn("[" + entry.section + "] " + entry.key + " is set more than once; using the last value");
            continue;
        }
        const auto section = known_keys().find(entry.section);
        if (section == known_keys().end()) {
            if (reported_sections.insert(entry.section).second)
                reader.warn("[" + entry.section + "] is not a known section; its keys are ignored");
            continue;
        }
        if (section->second.count(entry.key)) continue;
        const std::string home = sections_knowing(entry.key);
        if (entry.section == "DEFAULT" && !home.empty()) continue;  // inherited by that section
        reader.warn("[" + entry.section + "] " + entry.key + " is not a known key; ignored" +
                    (home.empty() ? std::string() : " (it belongs in " + home + ")"));
    }
}

std::filesystem::path resolve(const std::filesystem::path& base, const std::string& value) {
    const std::filesystem::path path(value);
    std::filesystem::path full = (path.is_absolute() ? path : base / path).lexically_normal();
    if (!full.has_filename() && full != full.root_path()) full = full.parent_path();  // "dir/" -> "dir"
    return full;
}

bool is_url(const std::string& value) {
    const std::string lowered = detail::lower(value);
    const bool has_scheme = lowered.rfind("https://", 0) == 0 || lowered.rfind("http://", 0) == 0;
    return has_scheme && std::none_of(value.begin(), value.end(), [](char c) {
               return std::isspace(static_cast<unsigned char>(c)) != 0;
           });
}

bool is_https_url(const std::string& value) { return is_url(value) && detail::lower(value).rfind("https://", 0) == 0; }

bool is_certificate_pin(const std::string& value) {
    constexpr std::string_view prefix = "sha256//";
    if (value.size() != prefix.size() + 44 || value.compare(0, prefix.size(), prefix) != 0) return false;
    return std::all_of(value.begin() + static_cast<std::ptrdiff_t>(prefix.size()), value.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '+' || c == '/' || c == '=';
    });
}

bool is_jwt(const std::string& value) {
    if (std::count(value.begin(), value.end(), '.') != 2) return false;
    if (value.front() == '.' || value.find("..") != std::string::npos) return false;
    return std::all_of(value.begin(), value.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-' || c == '_' || c == '.' || c == '=';
    });
}

bool is_alnum_text(const std::string& value) {
    return std::all_of(value.begin(), value.end(), [](char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; });
}

bool is_topic(const std::string& value) {
    return value.find_first_of("+#") == std::string::npos;
}

bool is_broker_host(const std::string& value) {
    return std::none_of(value.begin(), value.end(), [](char c) {
        return std::isspace(static_cast<unsigned char>(c)) != 0 || c == '/';
    });
}

logging::Level read_log_level(const Reader& reader) {
    const IniEntry* entry = reader.find("DEFAULT", "logging");
    if (!entry || entry->value.empty()) return logging::Level::Warning;
    const std::string level = detail::upper(entry->value);
    if (level == "ERROR") return logging::Level::Error;
    if (level == "WARNING") return logging::Level::Warning;
    if (level == "INFO") return logging::Level::Info;
    if (level == "DEBUG") return logging::Level::Debug;
    reader.fail(*entry, "ERROR, WARNING, INFO or DEBUG");
}

Config::Envoy read_envoy(Reader& reader, const std::filesystem::path& dir) {
    Config::Envoy envoy;
    const std::string expected_address = "the IP address or host name of the gateway";
    const IniEntry* address = reader.find("ENVOY", "address");
    if (!address || address->value.empty()) reader.fail_missing("ENVOY", "address", expected_address);
    if (address->value == kPlaceholder) reader.fail(*address, expected_address + " instead of the placeholder");
    std::string problem;
    const auto parsed = detail::parse_address(address->value, problem);
    if (!parsed) reader.fail(*address, problem);
    envoy.host = parsed->host;
    envoy.port = parsed->port;
    envoy.scheme = parsed->scheme;

    if (const IniEntry* firmware = reader.find("ENVOY", "firmware"); firmware && !firmware->value.empty()) {
        const auto family = detail::parse_firmware(firmware->value);
        if (!family)
            reader.fail(*firmware, "auto, D5 (firmware before 7), D7 (firmware 7 and later) or a version such as D7.6.175");
        envoy.firmware = *family;
        envoy.firmware_text = firmware->value;
    }

    envoy.password = reader.text("ENVOY", "password", "");
    envoy.serial = reader.checked_text("ENVOY", "serial", "", is_alnum_text,
                                       "the gateway serial number (letters and digits only)");
    envoy.enlighten_user = reader.text("ENVOY", "enlighten_user", "");
    envoy.enlighten_password = reader.text("ENVOY", "enlighten_password", "");
    envoy.token = reader.checked_text("ENVOY", "token", "", is_jwt,
                                      "a JWT: three base64url parts separated by dots");
    envoy.token_cache = resolve(dir, reader.text("ENVOY", "token_cache", "token.cache")).string();
    const std::string certificate = reader.checked_text(
        "ENVOY", "certificate", "auto",
        [](const std::string& v) { return v == "auto" || v == "any" || is_certificate_pin(v); },
        "auto (the gateway's key at first contact), any (no check: insecure) or a key pin sha256//<44 base64 characters>");
    if (certificate == "any") {
        envoy.certificate = Config::Envoy::Certificate::Any;
    } else if (certificate != "auto") {
        envoy.certificate = Config::Envoy::Certificate::Pinned;
        envoy.certificate_pin = certificate;
    }
    if (const IniEntry* ca = reader.find("ENVOY", "cloud_ca_file"); ca && !ca->value.empty()) {
        envoy.cloud_ca_file = resolve(dir, ca->value).string();
        std::ifstream file(envoy.cloud_ca_file);
        if (!file) reader.fail(*ca, std::string("a readable CA certificate file (") + std::strerror(errno) + ")");
    }
    // The Enlighten password goes to the login URL: never in clear, except to a test stand-in
    // whose CA is configured.
    const auto cloud_url = envoy.cloud_ca_file.empty() ? is_https_url : is_url;
    const char* cloud_url_text = envoy.cloud_ca_file.empty() ? "an https:// URL (http:// only with cloud_ca_file, for tests)"
                                                             : "an http:// or https:// URL";
    envoy.enlighten_login_url =
        reader.checked_text("ENVOY", "enlighten_login_url", envoy.enlighten_login_url, cloud_url, cloud_url_text);
    envoy.entrez_token_url =
        reader.checked_text("ENVOY", "entrez_token_url", envoy.entrez_token_url, cloud_url, cloud_url_text);
    envoy.fetch_production_historic_interval =
        reader.interval("ENVOY", "fetch_production_historic_interval", 3600, 900, kMaxInterval);
    envoy.stream_timeout = reader.integer("ENVOY", "stream_timeout", 5, 2, 60, "a whole number of seconds from 2 to 60");
    envoy.request_timeout =
        reader.integer("ENVOY", "request_timeout", 10, 2, 120, "a whole number of seconds from 2 to 120");
    envoy.source_retry_interval =
        reader.integer("ENVOY", "source_retry_interval", 300, 5, 86400, "a whole number of seconds from 5 to 86400");
    return envoy;
}

Config::Pv read_pv(Reader& reader) {
    Config::Pv pv;
    pv.max = reader.integer("PV", "max", 700, 1, 1000000, "the rated power in watts, from 1 to 1000000");
    pv.position = reader.integer("PV", "position", 0, 0, 2, "0 (AC input 1), 1 (AC output) or 2 (AC input 2)");
    pv.inverter_count = reader.integer("PV", "inverter_count", 0, 0, 10000,
                                       "the number of microinverters from 0 to 10000 (0 = ask the gateway)");
    pv.inverter_type = reader.text("PV", "inverter_type", "");
    pv.device_instance = reader.integer("PV", "device_instance", 61, 0, 999, "a device instance from 0 to 999");
    pv.custom_name = reader.text("PV", "custom_name", "");
    return pv;
}

Config::Data::Fetch read_fetch(Reader& reader, const std::string& name, Config::Data::Fetch fallback, int minimum) {
    const std::string prefix = "fetch_" + name;
    Config::Data::Fetch fetch;
    fetch.enabled = reader.boolean("DATA", prefix, fallback.enabled);
    fetch.interval = reader.interval("DATA", prefix + "_interval", fallback.interval, minimum, kMaxInterval);
    fetch.publish_always = reader.integer("DATA", prefix + "_publishing_type", fallback.publish_always ? 1 : 0, 0, 1,
                                          "0 (publish on change) or 1 (publish on every fetch)") == 1;
    return fetch;
}

Config::Data read_data(Reader& reader) {
    Config::Data data;
    data.devices = read_fetch(reader, "devices", data.devices, 60);
    data.inverters = read_fetch(reader, "inverters", data.inverters, 60);
    data.events = read_fetch(reader, "events", data.events, 900);
    return data;
}

Config::Grid read_grid(Reader& reader) {
    Config::Grid grid;
    grid.enabled = reader.boolean("GRID", "enabled", false);
    grid.device_instance = reader.integer("GRID", "device_instance", 31, 0, 999, "a device instance from 0 to 999");
    return grid;
}

Config::Mqtt read_mqtt(Reader& reader, const std::filesystem::path& dir) {
    Config::Mqtt mqtt;
    mqtt.enabled = reader.boolean("MQTT", "enabled", false);
    mqtt.broker_address = reader.text("MQTT", "broker_address", "");
    if (mqtt.enabled) {
        const std::string expected = "the IP address or host name of the MQTT broker (MQTT is enabled)";
        const IniEntry* broker = reader.find("MQTT", "broker_address");
        if (!broker || broker->value.empty()) reader.fail_missing("MQTT", "broker_address", expected);
        if (broker->value == kPlaceholder) reader.fail(*broker, expected);
        if (!is_broker_host(broker->value)) reader.fail(*broker, "a host name or IP address without scheme or path");
    }
    mqtt.broker_port = reader.integer("MQTT", "broker_port", 1883, 1, 65535, "a port from 1 to 65535");
    mqtt.publish_interval = reader.interval("MQTT", "publish_interval", 5, 1, 3600);
    mqtt.tls_enabled = reader.boolean("MQTT", "tls_enabled", false);
    mqtt.tls_insecure = reader.boolean("MQTT", "tls_insecure", false);
    if (const IniEntry* ca = reader.find("MQTT", "tls_path_to_ca"); ca && !ca->value.empty()) {
        mqtt.tls_path_to_ca = resolve(dir, ca->value).string();
        if (mqtt.enabled && mqtt.tls_enabled) {
            std::ifstream file(mqtt.tls_path_to_ca);
            if (!file) reader.fail(*ca, std::string("a readable CA certificate file (") + std::strerror(errno) + ")");
        }
    }
    mqtt.username = reader.text("MQTT", "username", "");
    mqtt.password = reader.text("MQTT", "password", "");
    mqtt.retain = reader.boolean("MQTT", "retain", false);
    const std::string topic = "an MQTT topic without the wildcards + and #";
    mqtt.topic_meters = reader.checked_text("MQTT", "topic_meters", mqtt.topic_meters, is_topic, topic);
    mqtt.topic_inverters = reader.checked_text("MQTT", "topic_inverters", mqtt.topic_inverters, is_topic, topic);
    mqtt.topic_devices = reader.checked_text("MQTT", "topic_devices", mqtt.topic_devices, is_topic, topic);
    mqtt.topic_events = reader.checked_text("MQTT", "topic_events", mqtt.topic_events, is_topic, topic);
    mqtt.topic_availability =
        reader.checked_text("MQTT", "topic_availability", mqtt.topic_availability, is_topic, topic);
    mqtt.client_id = reader.text("MQTT", "client_id", "");
    return mqtt;
}

Config::Energy read_energy(Reader& reader, const std::filesystem::path& dir) {
    Config::Energy energy;
    energy.state_dir = resolve(dir, reader.text("ENERGY", "state_dir", ".")).string();
    energy.volatile_dir = resolve(dir, reader.text("ENERGY", "volatile_dir", energy.volatile_dir)).string();
    energy.flush_interval = reader.interval("ENERGY", "flush_interval", 900, 60, 86400);
    return energy;
}

}  // namespace

Config load(const std::string& path, std::vector<std::string>& warnings) {
    const std::string text = detail::read_config_text(path);
    Reader reader(path, detail::parse_ini(text, path), warnings);
    const std::filesystem::path dir = std::filesystem::absolute(path).parent_path();

    Config config;
    config.path = path;
    config.log_level = read_log_level(reader);
    config.envoy = read_envoy(reader, dir);
    config.pv = read_pv(reader);
    config.data = read_data(reader);
    config.grid = read_grid(reader);
    config.mqtt = read_mqtt(reader, dir);
    config.energy = read_energy(reader, dir);
    warn_about_unknown_and_duplicate_keys(reader);
    return config;
}

}  // namespace config
