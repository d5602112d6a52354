// config (internal): parsers for single config values (booleans, integers, firmware,
// gateway address). Pure functions over strings; the caller turns a failure into a
// ConfigError naming the key.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "config/Config.hpp"

namespace config::detail {

std::string trim(std::string_view text);
std::string lower(std::string_view text);
std::string upper(std::string_view text);

// 1/0, true/false, yes/no, on/off, any case (Python configparser's getboolean words).
std::optional<bool> parse_bool(std::string_view text);

// A whole decimal number with an optional sign; nullopt when not a number or out of int range.
std::optional<int> parse_int(std::string_view text);

// "auto", "D5", "D7", "R4", "7", "D7.6.175", "8.2.4264": the firmware family.
std::optional<Config::Envoy::Firmware> parse_firmware(std::string_view text);

struct Address {
    std::string host;  // without brackets
    std::optional<int> port;
    std::optional<std::string> scheme;
};
// The gateway address: [scheme://]host[:port][/], host may be "[v6]" or a bare IPv6 address.
// On failure returns nullopt and sets problem to what is expected.
std::optional<Address> parse_address(std::string_view text, std::string& problem);

}  // namespace config::detail
