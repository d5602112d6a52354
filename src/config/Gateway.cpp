// config (internal): the gateway name and the per-gateway defaults; see Gateway.hpp.
#include "config/Gateway.hpp"

#include <algorithm>

#include "config/Keys.hpp"
#include "config/Load.hpp"

namespace config::detail {
namespace {

constexpr std::string_view kDefaultFile = "config.ini";
constexpr std::size_t kMaxNameLength = 32;

bool valid_name(const std::string& name) {
    if (name.empty() || name.size() > kMaxNameLength) return false;
    return std::all_of(name.begin(), name.end(), [](char c) {
        return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_' || c == '-';
    });
}

// The key table's default of [section] key, as written in config.ini.
std::string table_default(std::string_view section, std::string_view key) { return default_text(*find_key(section, key)); }

// "enphase/envoy-s/meters" -> "enphase/envoy-s/<name>/meters".
std::string topic_for_gateway(std::string_view topic, const std::string& name) {
    const auto slash = topic.rfind('/');
    const std::size_t at = slash == std::string_view::npos ? 0 : slash + 1;
    return std::string(topic.substr(0, at)) + name + "/" + std::string(topic.substr(at));
}

}  // namespace

std::string gateway_name(const std::string& path) {
    const std::filesystem::path file(path);
    if (file.filename() == kDefaultFile) return {};
    std::string name = file.stem().string();
    if (!valid_name(name)) {
        throw ConfigError(path + ": the file name gives the gateway name \"" + name +
                          "\"; expected config.ini, or a name of 1 to 32 letters, digits, _ or - such as garage.ini");
    }
    return name;
}

void apply_gateway_defaults(Config& c, const std::filesystem::path& dir, const IsSet& is_set) {
    const std::string& name = c.gateway_name;
    if (name.empty()) return;
    if (!is_set("ENERGY", "state_dir")) c.energy.state_dir = (dir / name).lexically_normal().string();
    if (!is_set("ENVOY", "token_cache")) c.envoy.token_cache = (std::filesystem::path(c.energy.state_dir) / "token.cache").string();
    if (!is_set("ENERGY", "volatile_dir")) c.energy.volatile_dir = table_default("ENERGY", "volatile_dir") + "/" + name;
    const std::pair<const char*, std::string*> topics[] = {
        {"topic_meters", &c.mqtt.topic_meters},     {"topic_inverters", &c.mqtt.topic_inverters},
        {"topic_devices", &c.mqtt.topic_devices},   {"topic_events", &c.mqtt.topic_events},
        {"topic_battery", &c.mqtt.topic_battery},   {"topic_availability", &c.mqtt.topic_availability},
    };
    for (const auto& [key, value] : topics) {
        if (!is_set("MQTT", key)) *value = topic_for_gateway(table_default("MQTT", key), name);
    }
}

}  // namespace config::detail
