// busitem/Value: the value of one exported D-Bus item and how it is shown to people.
//
// A value is invalid (unknown: sent as an empty `ai` array, text "---"), an int32 ('i'),
// a double ('d') or a string ('s'); its C++ type is its D-Bus type. Formatters turn a valid
// value into the GetText() string. Decimals used by the unit formatters:
//   W 0 ("1234W"), A 1 ("5.2A"), V 1 ("230.1V"), Hz 2 ("50.01Hz"), kWh 2 ("12.34kWh"),
//   power factor 2 ("0.98"); ints and strings are shown as they are.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <variant>

namespace busitem {

using Value = std::variant<std::monostate, std::int32_t, double, std::string>;

// The text of an invalid value.
inline constexpr const char* kInvalidText = "---";

inline bool is_valid(const Value& value) { return !std::holds_alternative<std::monostate>(value); }
// The D-Bus type code of the value: 'i', 'd', 's', or 0 when invalid.
char type_code(const Value& value);
// A double from an optional measurement: invalid when unknown or not finite.
Value measurement(const std::optional<double>& value);

// Formats a valid value (the Service writes kInvalidText for invalid ones itself).
using Formatter = std::function<std::string(const Value&)>;

namespace format {

// The value as it is: ints in decimal, doubles with up to 6 significant digits, strings verbatim.
std::string plain(const Value& value);
// A number with a fixed count of decimals followed by the unit, e.g. unit("W", 0).
Formatter unit(std::string unit, int decimals);
Formatter watts();
Formatter amps();
Formatter volts();
Formatter hertz();
Formatter kwh();
Formatter power_factor();
// An int as "0x%04X" (for /ProductId).
Formatter hex();
// An int mapped through a table of names; unknown codes are shown as the number.
Formatter names(std::function<const char*(int)> name_of);

}  // namespace format

}  // namespace busitem
