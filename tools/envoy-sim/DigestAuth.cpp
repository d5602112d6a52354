// envoy-sim: Digest challenge generation and response checking with stateless signed nonces.
#include "DigestAuth.hpp"

#include "Crypto.hpp"
#include "util/Encoding.hpp"

#include <map>

namespace sim {

namespace {

// Parses `Digest k=v, k="v", ...` into a map; empty when it is not a Digest header.
std::map<std::string, std::string> parse_params(const std::string& header) {
    std::map<std::string, std::string> out;
    const std::string scheme = "Digest ";
    if (header.size() < scheme.size() || header.compare(0, scheme.size(), scheme) != 0) return out;
    std::size_t i = scheme.size();
    while (i < header.size()) {
        while (i < header.size() && (header[i] == ' ' || header[i] == ',')) ++i;
        auto eq = header.find('=', i);
        if (eq == std::string::npos) break;
        std::string key = header.substr(i, eq - i);
        while (!key.empty() && key.back() == ' ') key.pop_back();
        i = eq + 1;
        std::string value;
        if (i < header.size() && header[i] == '"') {
            ++i;
            while (i < header.size() && header[i] != '"') {
                if (header[i] == '\\' && i + 1 < header.size()) ++i;
                value.push_back(header[i++]);
            }
            ++i;
        } else {
            while (i < header.size() && header[i] != ',') value.push_back(header[i++]);
            while (!value.empty() && value.back() == ' ') value.pop_back();
        }
        out[key] = value;
    }
    return out;
}

}  // namespace

DigestAuth::DigestAuth(std::string user, std::string password)
    : user_(std::move(user)), password_(std::move(password)), secret_(random_hex(16)) {}

std::string DigestAuth::challenge() const {
    std::string salt = random_hex(8);
    std::string nonce = salt + util::to_hex(hmac_sha256(secret_, salt)).substr(0, 16);
    return std::string("Digest realm=\"") + kRealm + "\", qop=\"auth\", algorithm=MD5, nonce=\"" + nonce +
           "\", opaque=\"" + util::to_hex(hmac_sha256(secret_, "opaque")).substr(0, 16) + "\"";
}

bool DigestAuth::verify(const std::string& authorization, const std::string& method, const std::string& path) const {
    auto p = parse_params(authorization);
    if (p.empty() || p["username"] != user_ || p["realm"] != kRealm) return false;
    const std::string& nonce = p["nonce"];
    if (nonce.size() != 32 ||
        !constant_time_equal(nonce.substr(16), util::to_hex(hmac_sha256(secret_, nonce.substr(0, 16))).substr(0, 16))) {
        return false;
    }
    const std::string& uri = p["uri"];
    if (uri.substr(0, uri.find('?')) != path) return false;
    if (p.count("algorithm") && p["algorithm"] != "MD5") return false;
    std::string ha1 = util::md5_hex(user_ + ":" + kRealm + ":" + password_);
    std::string ha2 = util::md5_hex(method + ":" + uri);
    std::string expected;
    if (p.count("qop")) {
        if (p["qop"] != "auth") return false;
        expected = util::md5_hex(ha1 + ":" + nonce + ":" + p["nc"] + ":" + p["cnonce"] + ":auth:" + ha2);
    } else {
        expected = util::md5_hex(ha1 + ":" + nonce + ":" + ha2);
    }
    return constant_time_equal(expected, p["response"]);
}

}  // namespace sim
