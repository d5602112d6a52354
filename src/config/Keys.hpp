// config: the key table, one descriptor for each key of config.ini: its section and name,
// the member of Config it fills, its default, its range or check, whether it is secret and one
// line of help. It is the only place these are written: loading and validation (Load.cpp), the
// unknown-key warning, the start-up summary (Describe.cpp) and the key tables of
// docs/configuration.md (checked against it by tests/unit/config/DocsTest.cpp) follow it.
// The table itself is in KeyTable.cpp, in the order keys are read.
#pragma once

#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "config/Config.hpp"

namespace config {

// A member of Config, possibly nested: field<&Config::pv, &Config::Pv::max>().
template <class T>
struct Field {
    T& (*in)(Config&);
    const T& (*of)(const Config&);
};

template <auto... Path>
constexpr auto field() {
    using T = std::remove_cvref_t<decltype((std::declval<Config&>() .* ... .* Path))>;
    return Field<T>{[](Config& c) -> T& { return (c .* ... .* Path); },
                    [](const Config& c) -> const T& { return (c .* ... .* Path); }};
}

namespace rule {

// A whole number from min to max; anything else is an error (Key::expected says what is valid).
struct Integer {
    Field<int> field;
    int fallback;
    int min;
    int max;
};
// Seconds up to maximum; values below minimum are raised to it with a warning.
struct Interval {
    Field<int> field;
    int fallback;
    int minimum;
    int maximum;
};
// 1/0, true/false, yes/no, on/off.
struct Boolean {
    Field<bool> field;
    bool fallback;
};
// 0 or 1 as a number (the upstream *_publishing_type keys); Key::expected names both.
struct Switch {
    Field<bool> field;
    bool fallback;
};
// Text, checked by valid when given (Key::expected says what is valid).
struct Text {
    Field<std::string> field;
    std::string_view fallback;
    bool (*valid)(const std::string&) = nullptr;
};
// A file or folder; relative to the config file's folder. When must_be_readable says so for the
// configuration read so far, a file given must be readable.
struct Path {
    Field<std::string> field;
    std::string_view fallback;
    bool (*must_be_readable)(const Config&) = nullptr;
};
// A cloud URL the Enlighten password may be sent to: https://, or http:// with cloud_ca_file.
struct CloudUrl {
    Field<std::string> field;
    std::string_view fallback;
};

// What a special key's reader gets: the key, its entry and the value to use (KeyReaders.hpp).
struct Input;
// A key whose value fills more than one member or is checked against other keys
// (KeyReaders.hpp): read stores it, show gives it back as it would be written in the file.
struct Special {
    void (*read)(const Input& input, Config& config);
    std::string (*show)(const Config& config);
    std::string_view fallback;
};

}  // namespace rule

using Rule = std::variant<rule::Integer, rule::Interval, rule::Boolean, rule::Switch, rule::Text, rule::Path,
                          rule::CloudUrl, rule::Special>;

enum class Visibility { Shown, Secret };      // Secret: never in a message, the log, D-Bus or MQTT
enum class Presence { Optional, Required };  // Required: the file must set it

struct Key {
    std::string_view section;  // "ENVOY", upper case as parsed
    std::string name;          // "address", lower case as parsed
    Rule rule;
    std::string_view expected;  // what a valid value is, for error messages (Integer, Switch, checked Text and Path, Special)
    std::string_view help;      // the first sentence of the key's meaning in docs/configuration.md
    Visibility visibility = Visibility::Shown;
    Presence presence = Presence::Optional;

    bool secret() const { return visibility == Visibility::Secret; }
    bool required() const { return presence == Presence::Required; }
};

// Every key, in the order load() reads them.
const std::vector<Key>& keys();

// The descriptor of [section] name; nullptr when there is none.
const Key* find_key(std::string_view section, std::string_view name);

// True when a key of this name is secret in any section: its value is never echoed, also when
// it is written under [DEFAULT].
bool is_secret_key(std::string_view name);

// The default as it would be written in config.ini ("" when there is none).
std::string default_text(const Key& key);

// The value of key in c as it would be written in config.ini; "***" for a set secret.
std::string shown(const Config& c, const Key& key);

}  // namespace config
