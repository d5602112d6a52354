// config (internal): typed look-ups over parsed INI entries with configparser's [DEFAULT]
// fallback, producing the one-line ConfigError or warning for a bad value. Knows the value
// kinds (integer, interval, boolean, text); of the key table (Keys.hpp) it asks only whether
// a key is secret, so that its value is never echoed.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "config/IniFile.hpp"

namespace config::detail {

class Reader {
public:
    Reader(std::string label, std::vector<IniEntry> entries, std::vector<std::string>& warnings);

    // The entry for [section] key: the section's own (last one wins), else [DEFAULT]'s.
    const IniEntry* find(const std::string& section, const std::string& key) const;

    [[noreturn]] void fail(const IniEntry& entry, const std::string& expected) const;
    [[noreturn]] void fail_missing(const std::string& section, const std::string& key,
                                   const std::string& expected) const;

    // Unset or empty values give the fallback.
    int integer(const std::string& section, const std::string& key, int fallback, int min, int max,
                const std::string& expected) const;
    // Like integer, but values below minimum are raised to it with a warning.
    int interval(const std::string& section, const std::string& key, int fallback, int minimum, int maximum);
    bool boolean(const std::string& section, const std::string& key, bool fallback) const;
    std::string text(const std::string& section, const std::string& key, const std::string& fallback) const;
    // Text checked by `valid`; `expected` describes a valid value.
    std::string checked_text(const std::string& section, const std::string& key, const std::string& fallback,
                             const std::function<bool(const std::string&)>& valid,
                             const std::string& expected) const;

    const std::vector<IniEntry>& entries() const { return entries_; }
    void warn(std::string message) { warnings_.push_back(std::move(message)); }

private:
    std::string label_;
    std::vector<IniEntry> entries_;
    std::vector<std::string>& warnings_;
};

}  // namespace config::detail
