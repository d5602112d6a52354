// util: small text helpers shared by every module that reads text from outside (config.ini, the
// gateway's answers, files).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace util {

// text without leading and trailing white space (space, tab, CR, LF, VT, FF).
inline std::string_view trim(std::string_view text) {
    constexpr std::string_view kSpace = " \t\r\n\v\f";
    const auto first = text.find_first_not_of(kSpace);
    if (first == std::string_view::npos) return {};
    return text.substr(first, text.find_last_not_of(kSpace) - first + 1);
}

// "host", "host:port", "[v6]" or "[v6]:port": a host (IPv6 without brackets) as it goes between
// "//" and the path of a URL, or into a log line.
inline std::string authority(std::string_view host, std::optional<int> port = std::nullopt) {
    std::string text = host.find(':') != std::string_view::npos ? "[" + std::string(host) + "]" : std::string(host);
    if (port) text += ":" + std::to_string(*port);
    return text;
}

}  // namespace util
