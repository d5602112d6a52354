// envoy/parsers: JWT payload decoding (base64url without padding, then JSON claims).
#include "envoy/parsers/Jwt.hpp"

#include <cmath>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "envoy/parsers/JsonFields.hpp"
#include "envoy/parsers/ParseError.hpp"
#include "util/Encoding.hpp"

namespace envoy::parse {
namespace {

[[noreturn]] void fail(const char* problem) { throw ParseError(std::string("token: ") + problem); }

}  // namespace

model::TokenInfo jwt(std::string_view token) {
    while (!token.empty() && (token.back() == '\n' || token.back() == '\r' || token.back() == ' ')) {
        token.remove_suffix(1);
    }
    const auto first = token.find('.');
    const auto second = first == std::string_view::npos ? first : token.find('.', first + 1);
    if (first == std::string_view::npos || second == std::string_view::npos ||
        token.find('.', second + 1) != std::string_view::npos) {
        fail("not a JWT (expected three dot-separated parts)");
    }
    const auto payload = util::base64url_decode(token.substr(first + 1, second - first - 1));
    if (!payload || payload->empty()) fail("JWT payload is not valid base64url");

    const auto claims = nlohmann::json::parse(*payload, nullptr, false);
    if (!claims.is_object()) fail("JWT payload is not a JSON object");

    model::TokenInfo info;
    info.expires = detail::integer(claims, "exp").value_or(0);
    if (info.expires == 0) {
        if (const auto exp = detail::floor_int64(detail::number(claims, "exp"))) info.expires = *exp;
    }
    const auto user = detail::text(claims, "enphaseUser");
    if (user == "owner") info.user = model::TokenUser::Owner;
    else if (user == "installer") info.user = model::TokenUser::Installer;
    info.username = detail::text(claims, "username").value_or("");
    info.serial = detail::text(claims, "serial").value_or("");
    info.issued = detail::integer(claims, "iat").value_or(0);
    return info;
}

}  // namespace envoy::parse
