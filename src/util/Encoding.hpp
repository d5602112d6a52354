// util: byte encodings shared by the daemon and the simulator: lowercase hex, base64url (the
// alphabet of JWTs), and the MD5 digest in hex (HTTP Digest, the pre-7 installer password).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace util {

// Lowercase hex of raw bytes.
std::string to_hex(std::string_view raw);

// Base64url without padding.
std::string base64url_encode(std::string_view raw);

// Base64url, also accepting the plain base64 characters '+' and '/' and trailing '=' padding;
// nullopt on any other character or on a length no encoder produces.
std::optional<std::string> base64url_decode(std::string_view text);

// Lowercase hex MD5 of data (throws std::runtime_error if libcrypto has no MD5).
std::string md5_hex(std::string_view data);

}  // namespace util
