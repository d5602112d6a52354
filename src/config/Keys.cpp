// config: look-ups in the key table and the texts derived from it; see Keys.hpp.
#include "config/Keys.hpp"

#include "config/KeyReaders.hpp"

namespace config {
namespace {

std::string flag(bool value) { return value ? "1" : "0"; }

// The value as it would be written in config.ini, by the key's rule.
struct ValueText {
    const Config& c;
    std::string operator()(const rule::Integer& r) const { return std::to_string(r.field.of(c)); }
    std::string operator()(const rule::Interval& r) const { return std::to_string(r.field.of(c)); }
    std::string operator()(const rule::Boolean& r) const { return flag(r.field.of(c)); }
    std::string operator()(const rule::Switch& r) const { return flag(r.field.of(c)); }
    std::string operator()(const rule::Text& r) const { return r.field.of(c); }
    std::string operator()(const rule::Path& r) const { return r.field.of(c); }
    std::string operator()(const rule::CloudUrl& r) const { return r.field.of(c); }
    std::string operator()(const rule::Special& r) const { return r.show(c); }
};

// The default as it would be written in config.ini, by the key's rule.
struct DefaultText {
    std::string operator()(const rule::Integer& r) const { return std::to_string(r.fallback); }
    std::string operator()(const rule::Interval& r) const { return std::to_string(r.fallback); }
    std::string operator()(const rule::Boolean& r) const { return flag(r.fallback); }
    std::string operator()(const rule::Switch& r) const { return flag(r.fallback); }
    std::string operator()(const auto& r) const { return std::string(r.fallback); }
};

}  // namespace

const Key* find_key(std::string_view section, std::string_view name) {
    for (const Key& key : keys())
        if (key.section == section && key.name == name) return &key;
    return nullptr;
}

bool is_secret_key(std::string_view name) {
    for (const Key& key : keys())
        if (key.name == name && key.secret()) return true;
    return false;
}

std::string default_text(const Key& key) { return std::visit(DefaultText{}, key.rule); }

std::string shown(const Config& c, const Key& key) {
    std::string value = std::visit(ValueText{c}, key.rule);
    if (key.secret() && !value.empty()) return "***";
    return value;
}

}  // namespace config
