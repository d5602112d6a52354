// config (internal): parsers and checks for single config values (booleans, integers,
// firmware, gateway address, URLs, tokens, topics). Pure functions over strings; the caller
// turns a failure into a ConfigError naming the key.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "model/GatewayAccess.hpp"

namespace config::detail {

std::string trim(std::string_view text);
std::string lower(std::string_view text);
std::string upper(std::string_view text);

// 1/0, true/false, yes/no, on/off, any case (Python configparser's getboolean words).
std::optional<bool> parse_bool(std::string_view text);

// A whole decimal number with an optional sign; nullopt when not a number or out of int range.
std::optional<int> parse_int(std::string_view text);

// "auto", "D5", "D7", "R4", "7", "D7.6.175", "8.2.4264": the firmware family.
std::optional<model::FirmwareChoice> parse_firmware(std::string_view text);

struct Address {
    std::string host;  // without brackets
    std::optional<int> port;
    std::optional<std::string> scheme;
};
// The gateway address: [scheme://]host[:port][/], host may be "[v6]" or a bare IPv6 address.
// On failure returns nullopt and sets problem to what is expected.
std::optional<Address> parse_address(std::string_view text, std::string& problem);

// "http://..." or "https://..." without spaces; is_https_url only the latter.
bool is_url(const std::string& value);
bool is_https_url(const std::string& value);
// "sha256//" followed by 44 base64 characters.
bool is_certificate_pin(const std::string& value);
// Three base64url parts separated by dots.
bool is_jwt(const std::string& value);
// Letters and digits only.
bool is_alnum_text(const std::string& value);
// An MQTT topic to publish on: no wildcards + or #.
bool is_topic(const std::string& value);
// "production" or "export" ([PV] power_limit_mode).
bool is_limit_mode(const std::string& value);
// A broker host: no spaces, no '/' (so no scheme and no path).
bool is_broker_host(const std::string& value);

}  // namespace config::detail
