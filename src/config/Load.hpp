// config: reading and validating config.ini, checking credentials, describing the result.
//
// load() accepts every file the upstream Python driver accepted (configparser semantics:
// [DEFAULT] keys are visible in every section, keys are case-insensitive, ';' and '#' start
// comment lines, values are trimmed) and rejects bad values with one ConfigError line naming
// file, section, key, value (never for secrets) and what is expected. It does not log:
// the caller logs the returned warnings once the log level is known.
#pragma once

#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "config/Config.hpp"

namespace config {

struct ConfigError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// Reads and validates the file. Throws ConfigError; appends non-fatal findings (unknown keys,
// intervals raised to their minimum, duplicate keys) to warnings, one line each.
Config load(const std::string& path, std::vector<std::string>& warnings);

// Once the firmware family is known: the one-line problem when the configured credentials
// cannot work with it, std::nullopt when they can. firmware_version (e.g. "D7.6.175") is only
// used in the message.
std::optional<std::string> credentials_problem(const Config& c, bool token_firmware,
                                               std::string_view firmware_version = {});

// One line for the start-up INFO log; secrets appear as "***" (or not at all when unset).
std::string describe(const Config& c);

}  // namespace config
