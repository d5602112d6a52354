// envoy-sim: HTTP Digest authentication (RFC 7616, MD5, qop=auth) as pre-7 firmware does it
// for user "installer" in realm "enphaseenergy.com".
#pragma once

#include <string>

namespace sim {

class DigestAuth {
public:
    DigestAuth(std::string user, std::string password);

    // The value of a WWW-Authenticate header with a fresh nonce.
    std::string challenge() const;
    // True when the Authorization header answers one of our nonces with the right password.
    bool verify(const std::string& authorization, const std::string& method, const std::string& path) const;

    static constexpr const char* kRealm = "enphaseenergy.com";

private:
    std::string user_;
    std::string password_;
    std::string secret_;  // signs nonces so that they need no server-side table
};

}  // namespace sim
