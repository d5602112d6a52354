// envoy: when to renew a gateway token and how long to wait after the cloud refused one
// (pure functions of the token's claims and the time; no clock of their own).
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "model/Gateway.hpp"

namespace envoy {

// Owner tokens (about a year) are renewed 30 days ahead, installer tokens (about 12 h) one hour
// ahead; a token shorter than twice that margin at half its lifetime (from iat). nullopt when the
// token states no expiry. The result may lie in the past: renew now.
std::optional<std::int64_t> renewal_time(const model::TokenInfo& token);

// Whether the token can still be sent at `now` (no stated expiry counts as valid).
bool token_valid_at(const model::TokenInfo& token, std::int64_t now);

// Wait before cloud attempt number failures + 1 after `failures` failed ones (>= 1):
// 1 min, doubling, at most 1 h.
std::chrono::seconds cloud_retry_delay(int failures);

// "2027-11-25 12:01 UTC": how token expiry dates appear in the log.
std::string utc_date(std::int64_t epoch);

}  // namespace envoy
