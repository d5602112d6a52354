// config (internal): what a special key's reader gets (rule::Input), and the readers of the
// special keys in the key table (KeyTable.cpp): keys whose value fills more than one member of
// Config or is checked against other keys. Each read_* stores the value or fails with the
// key's one-line ConfigError; each show_* gives the value back as it would be written in
// config.ini.
#pragma once

#include <string>
#include <string_view>

#include "config/IniFile.hpp"
#include "config/Keys.hpp"
#include "config/Reader.hpp"

namespace config {

namespace rule {

struct Input {
    const Key& key;
    detail::Reader& reader;
    const detail::IniEntry* entry;  // null when the file does not set the key or leaves it empty
    const std::string& value;       // the entry's value, or the key's default when unset or empty

    // Fails naming the entry, or saying the key is missing when the file does not set it.
    [[noreturn]] void reject(std::string_view expected) const;
};

}  // namespace rule

namespace detail {

// The placeholder the sample ships for [ENVOY] address and [MQTT] broker_address.
inline constexpr std::string_view kPlaceholder = "IP_ADDR_OR_FQDN";

void read_log_level(const rule::Input& input, Config& config);
std::string show_log_level(const Config& config);

void read_address(const rule::Input& input, Config& config);
std::string show_address(const Config& config);

void read_firmware(const rule::Input& input, Config& config);
std::string show_firmware(const Config& config);

void read_certificate(const rule::Input& input, Config& config);
std::string show_certificate(const Config& config);

void read_broker_address(const rule::Input& input, Config& config);
std::string show_broker_address(const Config& config);

}  // namespace detail
}  // namespace config
