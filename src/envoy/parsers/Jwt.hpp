// envoy/parsers: reads the claims of a gateway JWT (payload only; no signature check).
#pragma once

#include <string_view>

#include "model/Gateway.hpp"

namespace envoy::parse {

// Decodes the payload (the middle, base64url part) and reads exp, enphaseUser ("owner" /
// "installer"), username and serial. Throws ParseError when the token is not three dot-separated
// parts, the payload is not base64url or not a JSON object. Messages never contain the token.
model::TokenInfo jwt(std::string_view token);

}  // namespace envoy::parse
