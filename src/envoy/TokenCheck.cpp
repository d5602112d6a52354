// envoy: TokenCheck implementation.
#include "envoy/TokenCheck.hpp"

namespace envoy {

TokenVerdict token_verdict(const HttpResponse& response) {
    if (response.status == 401) return TokenVerdict::Rejected;
    if (!response.ok()) return TokenVerdict::NoVerdict;
    return response.body.find("Valid token") == std::string::npos ? TokenVerdict::Rejected : TokenVerdict::Accepted;
}

void check_token(GatewaySession& session, const std::string& token,
                 std::function<void(TokenVerdict verdict, const HttpResponse& response)> on_verdict) {
    session.get_as("/auth/check_jwt", {HttpAuth::Kind::Bearer, {}, token},
                   [on_verdict = std::move(on_verdict)](HttpResponse&& response) { on_verdict(token_verdict(response), response); });
}

}  // namespace envoy
