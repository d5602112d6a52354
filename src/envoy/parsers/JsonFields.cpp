// envoy/parsers: tolerant JSON loading and field reading shared by the JSON endpoint parsers.
#include "envoy/parsers/JsonFields.hpp"

#include <charconv>
#include <cmath>
#include <limits>

#include "envoy/parsers/ParseError.hpp"
#include "util/Text.hpp"

namespace envoy::parse::detail {
namespace {

std::string where(std::string_view endpoint, std::string_view what) {
    std::string prefix(endpoint);
    prefix += ": ";
    if (!what.empty()) {
        prefix += what;
        prefix += ": ";
    }
    return prefix;
}

const Json* field(const Json& object, const char* key) {
    if (!object.is_object()) return nullptr;
    const auto it = object.find(key);
    return it == object.end() ? nullptr : &*it;
}

}  // namespace

std::string_view json_body(std::string_view endpoint, std::string_view text) {
    const std::string_view body = util::trim(text);
    if (body.empty()) throw ParseError(std::string(endpoint) + ": empty response");
    if (body.front() == '<') {
        throw ParseError(std::string(endpoint) + ": expected JSON but got HTML/XML (an error page?)");
    }
    return body;
}

void throw_invalid_json(std::string_view endpoint, std::size_t byte, std::size_t body_size) {
    if (byte == 0) throw ParseError(std::string(endpoint) + ": not valid JSON");
    throw ParseError(std::string(endpoint) + ": not valid JSON (error at byte " + std::to_string(byte) + " of " +
                     std::to_string(body_size) + ")");
}

void check_depth(std::string_view endpoint, std::string_view body) {
    std::size_t depth = 0;
    bool in_string = false;
    bool escaped = false;
    for (const char c : body) {
        if (in_string) {
            if (escaped) {
                escaped = false;
            } else if (c == '\\') {
                escaped = true;
            } else if (c == '"') {
                in_string = false;
            }
        } else if (c == '"') {
            in_string = true;
        } else if (c == '[' || c == '{') {
            if (++depth > kMaxJsonDepth) {
                throw ParseError(std::string(endpoint) + ": nested deeper than " + std::to_string(kMaxJsonDepth) +
                                 " levels (not a gateway's answer)");
            }
        } else if ((c == ']' || c == '}') && depth > 0) {
            --depth;
        }
    }
}

Json load(std::string_view endpoint, std::string_view text) {
    const std::string_view body = json_body(endpoint, text);
    check_depth(endpoint, body);
    try {
        return Json::parse(body.begin(), body.end());
    } catch (const Json::parse_error& e) {
        throw_invalid_json(endpoint, e.byte, body.size());
    } catch (const Json::exception&) {
        throw_invalid_json(endpoint, 0, body.size());
    }
}

void expect_array(std::string_view endpoint, const Json& value, std::string_view what) {
    if (!value.is_array()) throw ParseError(where(endpoint, what) + "expected an array");
}

void expect_object(std::string_view endpoint, const Json& value, std::string_view what) {
    if (!value.is_object()) throw ParseError(where(endpoint, what) + "expected an object");
}

model::Value number(const Json& value) {
    if (value.is_number()) {
        const double d = value.get<double>();
        return std::isfinite(d) ? model::Value(d) : std::nullopt;
    }
    if (value.is_string()) return number_text(value.get_ref<const std::string&>());
    return std::nullopt;
}

model::Value number_text(std::string_view s) {
    s = util::trim(s);
    if (s.empty()) return std::nullopt;
    if (s.front() == '+') s.remove_prefix(1);
    double value = 0;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
    if (ec != std::errc{} || end != s.data() + s.size() || !std::isfinite(value)) return std::nullopt;
    return value;
}

model::Value number(const Json& object, const char* key) {
    const Json* value = field(object, key);
    return value ? number(*value) : std::nullopt;
}

std::optional<std::int64_t> integer(const Json& object, const char* key) {
    const Json* value = field(object, key);
    if (!value) return std::nullopt;
    if (value->is_number_integer()) {
        if (value->is_number_unsigned()) {
            const auto u = value->get<std::uint64_t>();
            if (u > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) return std::nullopt;
            return static_cast<std::int64_t>(u);
        }
        return value->get<std::int64_t>();
    }
    const model::Value d = number(*value);
    if (!d || std::trunc(*d) != *d || *d < -9.2e18 || *d > 9.2e18) return std::nullopt;
    return static_cast<std::int64_t>(*d);
}

std::optional<std::int64_t> floor_int64(const std::optional<double>& value) {
    if (!value || !std::isfinite(*value)) return std::nullopt;
    const double whole = std::floor(*value);
    if (whole < -9.2e18 || whole > 9.2e18) return std::nullopt;
    return static_cast<std::int64_t>(whole);
}

std::optional<std::string> text(const Json& object, const char* key) {
    const Json* value = field(object, key);
    if (!value) return std::nullopt;
    if (value->is_string()) return value->get<std::string>();
    if (value->is_number_integer()) return value->dump();
    return std::nullopt;
}

std::optional<bool> boolean(const Json& object, const char* key) {
    const Json* value = field(object, key);
    if (!value) return std::nullopt;
    if (value->is_boolean()) return value->get<bool>();
    if (value->is_number()) return value->get<double>() != 0;
    if (value->is_string()) {
        const std::string_view s = util::trim(value->get_ref<const std::string&>());
        if (s == "true") return true;
        if (s == "false") return false;
    }
    return std::nullopt;
}

}  // namespace envoy::parse::detail
