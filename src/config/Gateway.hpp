// config (internal): which gateway a config file is for, and the defaults that differ per
// gateway so that several gateways on one GX (one config file and one process each) share no
// file, folder, topic or client id by accident.
//
// The name comes from the file's name: "config.ini" is the default (single) gateway, with an
// empty name; any other "<stem>.ini" names the gateway "<stem>", which must be 1 to 32 letters,
// digits, '_' or '-'. For a named gateway, every key below that the file leaves unset gets:
//   [ENERGY] state_dir     "<name>" beside the config file
//   [ENVOY]  token_cache   "<state_dir>/token.cache"
//   [ENERGY] volatile_dir  "/run/dbus-enphase-envoy/<name>"
//   [MQTT]   topic_*       the default topic with "<name>/" before its last segment
// The default gateway keeps the key table's defaults (KeyTable.cpp); a key set in the file
// always wins. The MQTT client id is derived at run time (mqtt::default_client_id).
#pragma once

#include <filesystem>
#include <functional>
#include <string>
#include <string_view>

#include "config/Config.hpp"

namespace config::detail {

// The gateway name of the config file at path; throws ConfigError when the name is not usable.
std::string gateway_name(const std::string& path);

// True when the file sets [section] key to a value.
using IsSet = std::function<bool(std::string_view section, std::string_view key)>;

// Gives the keys that are unset the defaults of c.gateway_name (nothing for the default gateway).
// dir is the config file's folder.
void apply_gateway_defaults(Config& c, const std::filesystem::path& dir, const IsSet& is_set);

}  // namespace config::detail
