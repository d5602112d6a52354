// util: UTF-8 checks for text that arrives from outside (the gateway, config.ini) before it
// reaches a library that insists on UTF-8 (libdbus aborts the process, nlohmann::json throws).
#pragma once

#include <string>
#include <string_view>

namespace util {

// Whether text is well-formed UTF-8 (RFC 3629: no overlong forms, no surrogates, nothing above
// U+10FFFF) without NUL bytes.
bool is_utf8(std::string_view text);

// text with every byte that does not belong to a well-formed UTF-8 sequence, and every NUL,
// replaced by U+FFFD.
std::string valid_utf8(std::string_view text);

}  // namespace util
