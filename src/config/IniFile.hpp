// config (internal): turns the text of an INI file into a flat list of entries using inih.
//
// Owns the file-level rules: reading the file, line length, syntax errors with their line
// number, Python configparser conventions (comment lines start with ';' or '#', no inline
// comments, keys lower-cased, values trimmed). It knows nothing about which keys exist.
#pragma once

#include <string>
#include <vector>

namespace config::detail {

struct IniEntry {
    std::string section;  // upper-cased, e.g. "ENVOY", "DEFAULT"
    std::string key;      // lower-cased
    std::string value;    // trimmed
};

// The whole file as text; throws ConfigError("cannot read config file PATH: REASON").
std::string read_config_text(const std::string& path);

// Entries in file order. Throws ConfigError("LABEL: line N: PROBLEM") on a syntax error.
std::vector<IniEntry> parse_ini(const std::string& text, const std::string& label);

}  // namespace config::detail
