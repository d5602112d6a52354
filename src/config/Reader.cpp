// config (internal): typed look-ups with [DEFAULT] fallback; see Reader.hpp.
#include "config/Reader.hpp"

#include "config/Keys.hpp"
#include "config/Load.hpp"
#include "config/Values.hpp"
#include "util/Utf8.hpp"

namespace config::detail {

Reader::Reader(std::string label, std::vector<IniEntry> entries, std::vector<std::string>& warnings)
    : label_(std::move(label)), entries_(std::move(entries)), warnings_(warnings) {
    // Values go to libraries that insist on UTF-8 (libmosquitto, libdbus, the JSON encoder).
    for (const auto& entry : entries_) {
        if (!util::is_utf8(entry.value)) {
            throw ConfigError(label_ + ": [" + entry.section + "] " + entry.key + ": the value is not UTF-8 text");
        }
    }
}

const IniEntry* Reader::find(const std::string& section, const std::string& key) const {
    const IniEntry* fallback = nullptr;
    for (auto it = entries_.rbegin(); it != entries_.rend(); ++it) {
        if (it->key != key) continue;
        if (it->section == section) return &*it;
        if (it->section == "DEFAULT" && !fallback) fallback = &*it;
    }
    return fallback;
}

void Reader::fail(const IniEntry& entry, const std::string& expected) const {
    const std::string shown = is_secret_key(entry.key) ? " (value not shown)" : " = " + entry.value;
    throw ConfigError(label_ + ": [" + entry.section + "] " + entry.key + shown + ": expected " + expected);
}

void Reader::fail_missing(const std::string& section, const std::string& key, const std::string& expected) const {
    throw ConfigError(label_ + ": [" + section + "] " + key + " is missing: expected " + expected);
}

int Reader::integer(const std::string& section, const std::string& key, int fallback, int min, int max,
                    const std::string& expected) const {
    const IniEntry* entry = find(section, key);
    if (!entry || entry->value.empty()) return fallback;
    const auto value = parse_int(entry->value);
    if (!value || *value < min || *value > max) fail(*entry, expected);
    return *value;
}

int Reader::interval(const std::string& section, const std::string& key, int fallback, int minimum, int maximum) {
    const IniEntry* entry = find(section, key);
    if (!entry || entry->value.empty()) return fallback;
    const auto value = parse_int(entry->value);
    if (!value || *value > maximum)
        fail(*entry, "a whole number of seconds up to " + std::to_string(maximum) + " (minimum " +
                         std::to_string(minimum) + ")");
    if (*value < minimum) {
        warn("[" + entry->section + "] " + key + " = " + entry->value + " is below the minimum " +
             std::to_string(minimum) + " s; using " + std::to_string(minimum));
        return minimum;
    }
    return *value;
}

bool Reader::boolean(const std::string& section, const std::string& key, bool fallback) const {
    const IniEntry* entry = find(section, key);
    if (!entry || entry->value.empty()) return fallback;
    const auto value = parse_bool(entry->value);
    if (!value) fail(*entry, "1 or 0 (also true/false, yes/no, on/off)");
    return *value;
}

std::string Reader::text(const std::string& section, const std::string& key, const std::string& fallback) const {
    const IniEntry* entry = find(section, key);
    if (!entry || entry->value.empty()) return fallback;
    return entry->value;
}

std::string Reader::checked_text(const std::string& section, const std::string& key, const std::string& fallback,
                                 const std::function<bool(const std::string&)>& valid,
                                 const std::string& expected) const {
    const IniEntry* entry = find(section, key);
    if (!entry || entry->value.empty()) return fallback;
    if (!valid(entry->value)) fail(*entry, expected);
    return entry->value;
}

}  // namespace config::detail
