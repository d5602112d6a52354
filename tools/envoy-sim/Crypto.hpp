// envoy-sim: small cryptographic helpers on top of OpenSSL (MD5, HMAC-SHA256, randomness,
// base64url) shared by the JWT and HTTP Digest code.
#pragma once

#include <string>
#include <string_view>

namespace sim {

// Lowercase hex MD5 of data.
std::string md5_hex(std::string_view data);
// Raw (32-byte) HMAC-SHA256 of data with key.
std::string hmac_sha256(std::string_view key, std::string_view data);
// Lowercase hex of `bytes` cryptographically random bytes.
std::string random_hex(std::size_t bytes);
// Lowercase hex of raw bytes.
std::string to_hex(std::string_view raw);
// Base64url without padding, and its inverse (false on characters outside the alphabet).
std::string base64url_encode(std::string_view raw);
bool base64url_decode(std::string_view text, std::string& out);
// Comparison whose duration does not depend on where the inputs differ.
bool constant_time_equal(std::string_view a, std::string_view b);

}  // namespace sim
