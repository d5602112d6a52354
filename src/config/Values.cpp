// config (internal): parsers for single config values; see Values.hpp.
#include "config/Values.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <limits>

#include "util/Text.hpp"

namespace config::detail {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool all_digits(std::string_view text) {
    return !text.empty() && std::all_of(text.begin(), text.end(), is_digit);
}

bool valid_host_name(std::string_view host) {
    if (host.empty() || host.size() > 253) return false;
    return std::all_of(host.begin(), host.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '.' || c == '-' || c == '_';
    });
}

bool valid_ipv6(std::string_view host) {
    // Hex digits, colons, dots (embedded IPv4) and an optional "%zone" suffix.
    const auto zone = host.find('%');
    const std::string_view address = host.substr(0, zone);
    if (address.find(':') == std::string_view::npos || address.size() < 2) return false;
    const bool address_ok = std::all_of(address.begin(), address.end(), [](char c) {
        return std::isxdigit(static_cast<unsigned char>(c)) != 0 || c == ':' || c == '.';
    });
    if (!address_ok) return false;
    if (zone == std::string_view::npos) return true;
    return valid_host_name(host.substr(zone + 1));
}

std::optional<int> parse_port(std::string_view text) {
    if (!all_digits(text)) return std::nullopt;
    const auto value = parse_int(text);
    if (!value || *value < 1 || *value > 65535) return std::nullopt;
    return value;
}

}  // namespace

std::string trim(std::string_view text) { return std::string(util::trim(text)); }

std::string lower(std::string_view text) {
    std::string out(text);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

std::string upper(std::string_view text) {
    std::string out(text);
    for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return out;
}

std::optional<bool> parse_bool(std::string_view text) {
    const std::string word = lower(trim(text));
    if (word == "1" || word == "true" || word == "yes" || word == "on") return true;
    if (word == "0" || word == "false" || word == "no" || word == "off") return false;
    return std::nullopt;
}

std::optional<int> parse_int(std::string_view text) {
    const std::string trimmed = trim(text);
    std::string_view digits = trimmed;
    const bool plus = !digits.empty() && digits.front() == '+';
    if (plus) digits.remove_prefix(1);
    if (digits.empty() || digits.front() == '+' || (plus && digits.front() == '-')) return std::nullopt;
    long long value = 0;
    const auto* end = digits.data() + digits.size();
    const auto [stop, error] = std::from_chars(digits.data(), end, value);
    if (error != std::errc() || stop != end) return std::nullopt;
    if (value < std::numeric_limits<int>::min() || value > std::numeric_limits<int>::max()) return std::nullopt;
    return static_cast<int>(value);
}

std::optional<model::FirmwareChoice> parse_firmware(std::string_view text) {
    using Firmware = model::FirmwareChoice;
    std::string value = lower(trim(text));
    if (value == "auto") return Firmware::Auto;
    if (!value.empty() && (value.front() == 'd' || value.front() == 'r')) value.erase(0, 1);
    // Major version, then optionally ".minor.build..." made of digits (".x" accepted as a wildcard).
    const auto dot = value.find('.');
    const std::string major_text = value.substr(0, dot);
    if (!all_digits(major_text) || major_text.size() > 2) return std::nullopt;
    if (dot != std::string::npos) {
        std::string_view rest = std::string_view(value).substr(dot + 1);
        while (true) {
            const auto next = rest.find('.');
            const std::string_view part = rest.substr(0, next);
            if (part != "x" && !all_digits(part)) return std::nullopt;
            if (next == std::string_view::npos) break;
            rest.remove_prefix(next + 1);
        }
    }
    const int major = *parse_int(major_text);
    if (major < 3) return std::nullopt;
    return major >= 7 ? Firmware::Token : Firmware::Pre7;
}

std::optional<Address> parse_address(std::string_view text, std::string& problem) {
    Address address;
    std::string rest = trim(text);
    const auto scheme_end = rest.find("://");
    if (scheme_end != std::string::npos) {
        const std::string scheme = lower(rest.substr(0, scheme_end));
        if (scheme != "http" && scheme != "https") {
            problem = "a scheme of http:// or https:// (or none to detect it)";
            return std::nullopt;
        }
        address.scheme = scheme;
        rest.erase(0, scheme_end + 3);
    }
    if (!rest.empty() && rest.back() == '/') rest.pop_back();
    const char* host_problem = "the IP address or host name of the gateway, optionally with :port";
    if (rest.empty() || rest.find('/') != std::string::npos) {
        problem = rest.find('/') != std::string::npos ? "no path after the host, only [scheme://]host[:port]" : host_problem;
        return std::nullopt;
    }

    std::string port_text;
    bool has_port = false;
    if (rest.front() == '[') {
        const auto close = rest.find(']');
        if (close == std::string::npos) {
            problem = "a closing ']' after the IPv6 address";
            return std::nullopt;
        }
        address.host = rest.substr(1, close - 1);
        const std::string after = rest.substr(close + 1);
        if (!after.empty()) {
            if (after.front() != ':') {
                problem = "':port' or nothing after the bracketed IPv6 address";
                return std::nullopt;
            }
            has_port = true;
            port_text = after.substr(1);
        }
        if (!valid_ipv6(address.host)) {
            problem = "an IPv6 address between [ and ]";
            return std::nullopt;
        }
    } else if (std::count(rest.begin(), rest.end(), ':') > 1) {
        address.host = rest;  // a bare IPv6 address cannot carry a port
        if (!valid_ipv6(address.host)) {
            problem = host_problem;
            return std::nullopt;
        }
    } else {
        const auto colon = rest.find(':');
        address.host = rest.substr(0, colon);
        if (colon != std::string::npos) {
            has_port = true;
            port_text = rest.substr(colon + 1);
        }
        if (!valid_host_name(address.host)) {
            problem = host_problem;
            return std::nullopt;
        }
    }
    if (has_port) {
        address.port = parse_port(port_text);
        if (!address.port) {
            problem = "a port from 1 to 65535 after ':'";
            return std::nullopt;
        }
    }
    return address;
}

bool is_url(const std::string& value) {
    const std::string lowered = lower(value);
    const bool has_scheme = lowered.rfind("https://", 0) == 0 || lowered.rfind("http://", 0) == 0;
    return has_scheme && std::none_of(value.begin(), value.end(), [](char c) {
               return std::isspace(static_cast<unsigned char>(c)) != 0;
           });
}

bool is_https_url(const std::string& value) { return is_url(value) && lower(value).rfind("https://", 0) == 0; }

bool is_certificate_pin(const std::string& value) {
    constexpr std::string_view prefix = "sha256//";
    if (value.size() != prefix.size() + 44 || value.compare(0, prefix.size(), prefix) != 0) return false;
    return std::all_of(value.begin() + static_cast<std::ptrdiff_t>(prefix.size()), value.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '+' || c == '/' || c == '=';
    });
}

bool is_jwt(const std::string& value) {
    if (std::count(value.begin(), value.end(), '.') != 2) return false;
    if (value.front() == '.' || value.find("..") != std::string::npos) return false;
    return std::all_of(value.begin(), value.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-' || c == '_' || c == '.' || c == '=';
    });
}

bool is_alnum_text(const std::string& value) {
    return std::all_of(value.begin(), value.end(), [](char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; });
}

bool is_limit_mode(const std::string& value) { return value == "production" || value == "export"; }

bool is_topic(const std::string& value) {
    return value.find_first_of("+#") == std::string::npos;
}

bool is_broker_host(const std::string& value) {
    return std::none_of(value.begin(), value.end(), [](char c) {
        return std::isspace(static_cast<unsigned char>(c)) != 0 || c == '/';
    });
}

}  // namespace config::detail
