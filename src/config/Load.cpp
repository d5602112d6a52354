// config: config::load(): every key of the key table (Keys.hpp) read by its rule, the defaults
// of a named gateway (Gateway.hpp), then the warnings about keys and sections the table does
// not know.
#include "config/Load.hpp"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <set>
#include <vector>

#include "config/Gateway.hpp"
#include "config/IniFile.hpp"
#include "config/KeyReaders.hpp"
#include "config/Keys.hpp"
#include "config/Reader.hpp"
#include "config/Values.hpp"

namespace config {
namespace {

using detail::IniEntry;
using detail::Reader;

// Sections where `key` is known, for the hint in an unknown-key warning.
std::string sections_knowing(const std::string& name) {
    std::vector<std::string> sections;
    for (const Key& key : keys()) {
        if (key.name == name) sections.push_back("[" + std::string(key.section) + "]");
    }
    std::string found;
    for (std::size_t i = 0; i < sections.size(); ++i) {
        if (i > 0) found += i + 1 == sections.size() ? " or " : ", ";
        found += sections[i];
    }
    return found;
}

bool is_known_section(const std::string& section) {
    for (const Key& key : keys())
        if (key.section == section) return true;
    return false;
}

void warn_about_unknown_and_duplicate_keys(Reader& reader) {
    std::set<std::string> reported_sections;
    std::set<std::pair<std::string, std::string>> seen;
    for (const IniEntry& entry : reader.entries()) {
        if (!seen.insert({entry.section, entry.key}).second) {
            reader.warn("[" + entry.section + "] " + entry.key + " is set more than once; using the last value");
            continue;
        }
        if (!is_known_section(entry.section)) {
            if (reported_sections.insert(entry.section).second)
                reader.warn("[" + entry.section + "] is not a known section; its keys are ignored");
            continue;
        }
        if (find_key(entry.section, entry.key)) continue;
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

// Reads one key by its rule into config.
class KeyLoader {
public:
    KeyLoader(Reader& reader, const std::filesystem::path& dir, const Key& key, Config& config)
        : reader_(reader), dir_(dir), key_(key), section_(key.section), name_(key.name), config_(config) {}

    void operator()(const rule::Integer& r) {
        r.field.in(config_) = reader_.integer(section_, name_, r.fallback, r.min, r.max, std::string(key_.expected));
    }
    void operator()(const rule::Interval& r) {
        r.field.in(config_) = reader_.interval(section_, name_, r.fallback, r.minimum, r.maximum);
    }
    void operator()(const rule::Boolean& r) { r.field.in(config_) = reader_.boolean(section_, name_, r.fallback); }
    void operator()(const rule::Switch& r) {
        r.field.in(config_) = reader_.integer(section_, name_, r.fallback ? 1 : 0, 0, 1, std::string(key_.expected)) == 1;
    }
    void operator()(const rule::Text& r) {
        const std::string fallback(r.fallback);
        r.field.in(config_) = r.valid ? reader_.checked_text(section_, name_, fallback, r.valid, std::string(key_.expected))
                                      : reader_.text(section_, name_, fallback);
    }
    void operator()(const rule::Path& r) {
        const std::string value = reader_.text(section_, name_, std::string(r.fallback));
        std::string& path = r.field.in(config_);
        path = value.empty() ? std::string() : resolve(dir_, value).string();
        const IniEntry* entry = given();
        if (!entry || !r.must_be_readable || !r.must_be_readable(config_)) return;
        std::ifstream file(path);
        if (!file) reader_.fail(*entry, std::string(key_.expected) + " (" + std::strerror(errno) + ")");
    }
    // The Enlighten password goes to the login URL: never in clear, except to a test stand-in
    // whose CA is configured.
    void operator()(const rule::CloudUrl& r) {
        const bool stand_in = !config_.envoy.cloud_ca_file.empty();
        r.field.in(config_) = reader_.checked_text(
            section_, name_, std::string(r.fallback), stand_in ? detail::is_url : detail::is_https_url,
            stand_in ? "an http:// or https:// URL" : "an https:// URL (http:// only with cloud_ca_file, for tests)");
    }
    void operator()(const rule::Special& r) {
        const IniEntry* entry = given();
        const std::string value = entry ? entry->value : std::string(r.fallback);
        r.read(rule::Input{key_, reader_, entry, value}, config_);
    }

private:
    // The key's entry when the file sets it to something.
    const IniEntry* given() const {
        const IniEntry* entry = reader_.find(section_, name_);
        return entry && !entry->value.empty() ? entry : nullptr;
    }

    Reader& reader_;
    const std::filesystem::path& dir_;
    const Key& key_;
    const std::string section_;
    const std::string name_;
    Config& config_;
};

}  // namespace

Config load(const std::string& path, std::vector<std::string>& warnings) {
    const std::string text = detail::read_config_text(path);
    Reader reader(path, detail::parse_ini(text, path), warnings);
    const std::filesystem::path dir = std::filesystem::absolute(path).parent_path();

    Config config;
    config.path = path;
    config.gateway_name = detail::gateway_name(path);
    for (const Key& key : keys()) {
        if (key.required() && reader.text(std::string(key.section), key.name, "").empty())
            reader.fail_missing(std::string(key.section), key.name, std::string(key.expected));
        std::visit(KeyLoader(reader, dir, key, config), key.rule);
    }
    detail::apply_gateway_defaults(config, dir, [&reader](std::string_view section, std::string_view key) {
        const IniEntry* entry = reader.find(std::string(section), std::string(key));
        return entry != nullptr && !entry->value.empty();
    });
    warn_about_unknown_and_duplicate_keys(reader);
    return config;
}

}  // namespace config
