// envoy: the gateway's word on a token: GET /auth/check_jwt with it. Accepted is an answer
// that says "Valid token"; a 401, or a success without those words, is a rejection; anything
// else (no answer, another error) tells nothing about the token.
#pragma once

#include <functional>
#include <string>

#include "envoy/GatewaySession.hpp"

namespace envoy {

enum class TokenVerdict { Accepted, Rejected, NoVerdict };

TokenVerdict token_verdict(const HttpResponse& response);

// Asks the gateway of `session` (its address and key) about `token`, which need not be the
// session's own yet.
void check_token(GatewaySession& session, const std::string& token,
                 std::function<void(TokenVerdict verdict, const HttpResponse& response)> on_verdict);

}  // namespace envoy
