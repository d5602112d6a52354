// energy/CounterFile: the text format of the persisted integrated counters. Pure.
//
// One counter per line, "<meter>.<slot>.<direction> <kWh>", e.g. "grid.L1.reverse 12.5",
// after a comment line; written with enough digits to round-trip.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace energy {

using Totals = std::map<std::string, double>;  // key → kWh

std::string format_counters(const Totals& totals);

// Reads the counters; a line that is not "name value" with a finite value >= 0 is skipped
// and described in problems ("line 3: ...").
Totals parse_counters(std::string_view text, std::vector<std::string>& problems);

}  // namespace energy
