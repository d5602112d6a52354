// envoy-sim: the cryptographic helpers of the JWT and HTTP Digest code that the daemon does not
// need (HMAC-SHA256, randomness, constant-time comparison); hex, base64url and MD5 are util's.
#pragma once

#include <string>
#include <string_view>

namespace sim {

// Raw (32-byte) HMAC-SHA256 of data with key.
std::string hmac_sha256(std::string_view key, std::string_view data);
// Lowercase hex of `bytes` cryptographically random bytes.
std::string random_hex(std::size_t bytes);
// Comparison whose duration does not depend on where the inputs differ.
bool constant_time_equal(std::string_view a, std::string_view b);

}  // namespace sim
