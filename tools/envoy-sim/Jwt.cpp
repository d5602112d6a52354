// envoy-sim: HS256 JWT encoding and verification (signature, alg, exp, serial, role).
#include "Jwt.hpp"

#include "Crypto.hpp"
#include "util/Encoding.hpp"

#include <nlohmann/json.hpp>

namespace sim {

std::string make_token(const TokenClaims& claims, const std::string& key) {
    nlohmann::ordered_json header = {{"alg", "HS256"}, {"typ", "JWT"}, {"kid", "envoy-sim"}};
    nlohmann::ordered_json payload = {{"aud", claims.serial},
                                      {"iss", "Entrez"},
                                      {"enphaseUser", claims.role},
                                      {"exp", claims.exp},
                                      {"iat", claims.iat},
                                      {"jti", random_hex(16)},
                                      {"username", claims.username},
                                      {"serial", claims.serial}};
    std::string signing_input = util::base64url_encode(header.dump()) + "." + util::base64url_encode(payload.dump());
    return signing_input + "." + util::base64url_encode(hmac_sha256(key, signing_input));
}

namespace {
std::optional<TokenClaims> reject(std::string* why, const char* reason) {
    if (why) *why = reason;
    return std::nullopt;
}
}  // namespace

std::optional<TokenClaims> check_token(const std::string& token, const std::string& key,
                                       const std::string& expected_serial, std::int64_t now_epoch,
                                       std::string* why) {
    auto first = token.find('.');
    auto second = first == std::string::npos ? std::string::npos : token.find('.', first + 1);
    if (second == std::string::npos || token.find('.', second + 1) != std::string::npos) {
        return reject(why, "not a JWT");
    }
    const auto signature = util::base64url_decode(std::string_view(token).substr(second + 1));
    if (!signature) return reject(why, "bad signature encoding");
    if (!constant_time_equal(*signature, hmac_sha256(key, std::string_view(token).substr(0, second)))) {
        return reject(why, "bad signature");
    }
    const auto header_text = util::base64url_decode(std::string_view(token).substr(0, first));
    const auto payload_text = util::base64url_decode(std::string_view(token).substr(first + 1, second - first - 1));
    if (!header_text || !payload_text) return reject(why, "bad encoding");
    auto header = nlohmann::json::parse(*header_text, nullptr, false);
    auto payload = nlohmann::json::parse(*payload_text, nullptr, false);
    if (!header.is_object() || !payload.is_object()) return reject(why, "not JSON");
    if (header.value("alg", "") != "HS256") return reject(why, "unsupported alg");
    TokenClaims c;
    try {
        c.role = payload.at("enphaseUser").get<std::string>();
        c.username = payload.value("username", "");
        c.serial = payload.at("serial").get<std::string>();
        c.exp = payload.at("exp").get<std::int64_t>();
        c.iat = payload.value("iat", std::int64_t{0});
        c.jti = payload.value("jti", "");
    } catch (const nlohmann::json::exception&) {
        return reject(why, "missing claims");
    }
    if (c.role != "owner" && c.role != "installer") return reject(why, "unknown enphaseUser");
    if (c.exp <= now_epoch) return reject(why, "expired");
    if (!expected_serial.empty() && c.serial != expected_serial) return reject(why, "serial of another gateway");
    return c;
}

}  // namespace sim
