// energy/CounterFile: formatting and parsing of the counter files.
#include "energy/CounterFile.hpp"

#include <charconv>
#include <cmath>
#include <cstdio>

#include "util/Text.hpp"

namespace energy {
namespace {

constexpr std::string_view kHeader = "# dbus-enphase-envoy energy counters, kWh integrated from power\n";

}  // namespace

std::string format_counters(const Totals& totals) {
    std::string text(kHeader);
    for (const auto& [name, kwh] : totals) {
        char number[64];
        std::snprintf(number, sizeof number, "%.17g", kwh);
        text += name + " " + number + "\n";
    }
    return text;
}

Totals parse_counters(std::string_view text, std::vector<std::string>& problems) {
    Totals totals;
    int number = 0;
    while (!text.empty()) {
        ++number;
        const auto end = text.find('\n');
        std::string_view line = util::trim(text.substr(0, end));
        text = end == std::string_view::npos ? std::string_view{} : text.substr(end + 1);
        if (line.empty() || line.front() == '#') continue;
        const auto space = line.find_first_of(" \t");
        const std::string where = "line " + std::to_string(number) + ": ";
        if (space == std::string_view::npos) {
            problems.push_back(where + "expected a name and a value");
            continue;
        }
        const std::string_view name = line.substr(0, space);
        const std::string_view value = util::trim(line.substr(space));
        double kwh = 0;
        auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), kwh);
        if (ec != std::errc() || ptr != value.data() + value.size() || !std::isfinite(kwh) || kwh < 0) {
            problems.push_back(where + std::string(name) + ": '" + std::string(value) + "' is not a number of kWh >= 0");
            continue;
        }
        totals[std::string(name)] = kwh;
    }
    return totals;
}

}  // namespace energy
