// busitem/Value: type codes and text formatters of exported values.
#include "busitem/Value.hpp"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <optional>
#include <string_view>

namespace busitem {

char type_code(const Value& value) {
    switch (value.index()) {
        case 1: return 'i';
        case 2: return 'd';
        case 3: return 's';
        default: return 0;
    }
}

Value measurement(const std::optional<double>& value) {
    if (!value || !std::isfinite(*value)) return {};
    return *value;
}

namespace format {

namespace {

double as_number(const Value& value) {
    if (const auto* i = std::get_if<std::int32_t>(&value)) return *i;
    if (const auto* d = std::get_if<double>(&value)) return *d;
    return 0.0;
}

// The number with a fixed count of decimals followed by the unit, "-0" shown as "0".
std::string fixed(double number, int decimals, const std::string& unit) {
    char buffer[352];  // the longest double in fixed notation (309 digits) and its decimals
    auto [end, error] = std::to_chars(buffer, buffer + sizeof buffer, number, std::chars_format::fixed, decimals);
    if (error != std::errc()) return plain(number) + unit;
    std::string_view digits(buffer, static_cast<std::size_t>(end - buffer));
    if (digits.front() == '-' && digits.find_first_not_of("-0.") == std::string_view::npos) digits.remove_prefix(1);
    std::string text;
    text.reserve(digits.size() + unit.size());
    text.append(digits).append(unit);
    return text;
}

}  // namespace

std::string plain(const Value& value) {
    if (const auto* i = std::get_if<std::int32_t>(&value)) return std::to_string(*i);
    if (const auto* d = std::get_if<double>(&value)) {
        char buffer[64];
        std::snprintf(buffer, sizeof buffer, "%g", *d);
        return buffer;
    }
    if (const auto* s = std::get_if<std::string>(&value)) return *s;
    return kInvalidText;
}

Formatter unit(std::string unit, int decimals) {
    return [unit = std::move(unit), decimals](const Value& value) {
        if (std::holds_alternative<std::string>(value)) return plain(value);
        return fixed(as_number(value), decimals, unit);
    };
}

Formatter watts() { return unit("W", 0); }
Formatter amps() { return unit("A", 1); }
Formatter volts() { return unit("V", 1); }
Formatter hertz() { return unit("Hz", 2); }
Formatter kwh() { return unit("kWh", 2); }
Formatter power_factor() { return unit("", 2); }

Formatter hex() {
    return [](const Value& value) {
        if (!std::holds_alternative<std::int32_t>(value)) return plain(value);
        char buffer[16];
        std::snprintf(buffer, sizeof buffer, "0x%04X", static_cast<unsigned>(std::get<std::int32_t>(value)));
        return std::string(buffer);
    };
}

Formatter names(std::function<const char*(int)> name_of) {
    return [name_of = std::move(name_of)](const Value& value) {
        if (const auto* i = std::get_if<std::int32_t>(&value)) {
            if (const char* name = name_of(*i)) return std::string(name);
        }
        return plain(value);
    };
}

}  // namespace format

}  // namespace busitem
