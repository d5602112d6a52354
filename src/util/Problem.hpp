// util: the one error style of the functions that report failure without throwing: they return
// a Problem, one line saying what failed (ready for the log), or std::nullopt when all went well.
// Exceptions stay for what the caller cannot handle on the spot (a parser's ParseError, a
// configuration error that ends the program).
#pragma once

#include <optional>
#include <string>

namespace util {

using Problem = std::optional<std::string>;

}  // namespace util
