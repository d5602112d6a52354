// envoy-sim: signing and checking the gateway's JSON Web Tokens (HS256 with the simulator's key).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace sim {

struct TokenClaims {
    std::string role;      // enphaseUser: "owner" or "installer"
    std::string username;
    std::string serial;
    std::int64_t iat = 0;
    std::int64_t exp = 0;
    std::string jti;       // set by check_token (make_token draws a fresh one)
};

// A compact JWT (header.payload.signature) for the claims, signed with HMAC-SHA256.
std::string make_token(const TokenClaims& claims, const std::string& key);

// The claims of a token whose signature, expiry (against now_epoch) and serial (when
// expected_serial is not empty) are valid; nullopt otherwise, with the reason in *why.
std::optional<TokenClaims> check_token(const std::string& token, const std::string& key,
                                       const std::string& expected_serial, std::int64_t now_epoch,
                                       std::string* why = nullptr);

}  // namespace sim
