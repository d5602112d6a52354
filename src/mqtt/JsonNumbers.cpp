// mqtt: append_number(), the JSON text of a rounded model value without an nlohmann document
// (see JsonNumbers.hpp).
#include "mqtt/JsonNumbers.hpp"

#include <cstdint>

namespace mqtt::detail {
namespace {

// Below this many thousandths (|value| < 1e12) the rounded value has at most 15 significant
// digits, so it is written from the integer count of thousandths (see append_number).
constexpr double kIntegerPathLimit = 1e15;

// Writes the decimal digits of value so that they end just before end; returns their start.
char* digits_before(char* end, std::uint64_t value) {
    do {
        *--end = static_cast<char>('0' + value % 10);
        value /= 10;
    } while (value != 0);
    return end;
}

// value = sign * thousandths / 1000 with thousandths < kIntegerPathLimit: "12.3", "-0.005",
// "42.0" (a whole number keeps ".0", as nlohmann prints a double).
void append_thousandths(std::string& out, std::uint64_t thousandths, bool negative) {
    char text[kMaxNumberChars];
    char* end = text + sizeof text;
    char* start = end;
    auto fraction = static_cast<unsigned>(thousandths % 1000);
    if (fraction == 0) {
        *--start = '0';
    } else {
        int places = 3;
        while (fraction % 10 == 0) {
            fraction /= 10;
            --places;
        }
        while (places-- > 0) {
            *--start = static_cast<char>('0' + fraction % 10);
            fraction /= 10;
        }
    }
    *--start = '.';
    start = digits_before(start, thousandths / 1000);
    if (negative) *--start = '-';
    out.append(start, end);
}

}  // namespace

void append_number(std::string& out, const model::Value& value) {
    if (!value || !std::isfinite(*value)) {
        out += "null";
        return;
    }
    // rounded() is thousandths / 1000.0 with this same count of thousandths: the double nearest
    // to that decimal. Below kIntegerPathLimit the decimal has at most 15 significant digits
    // (std::numeric_limits<double>::digits10), so no other decimal as short reads back as the
    // same double: the decimal itself is the shortest round-trip text, the digits nlohmann's
    // Grisu2 prints, and nlohmann lays them out in fixed notation (the decimal point within the
    // first 15 digits, the value 0 or >= 0.001), with ".0" for a whole number. So it is written
    // here from the integer, without floating-point formatting (MetersTextTest compares the two
    // on every thousandth up to 200 and on random ones of every length).
    // std::round(-0.0004 * 1000) is -0.0: written as "0.0", as rounded() gives 0.0.
    const double thousandths = std::round(*value * 1000.0);
    if (std::abs(thousandths) < kIntegerPathLimit) {
        append_thousandths(out, static_cast<std::uint64_t>(std::abs(thousandths)), thousandths < 0.0);
        return;
    }
    // |value| >= 1e12 (never a real reading): up to 17 digits, where Grisu2 (nlohmann) and the
    // shortest-digits algorithms may pick different last digits; nlohmann writes it itself.
    out += Json(number(value)).dump();
}

}  // namespace mqtt::detail
