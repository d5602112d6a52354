// envoy: TokenRenewal implementation.
#include "envoy/TokenRenewal.hpp"

#include <algorithm>
#include <ctime>

namespace envoy {
namespace {

constexpr std::int64_t kOwnerMargin = 30LL * 24 * 3600;
constexpr std::int64_t kInstallerMargin = 3600;

}  // namespace

std::optional<std::int64_t> renewal_time(const model::TokenInfo& token) {
    if (token.expires <= 0) return std::nullopt;
    const std::int64_t margin = token.user == model::TokenUser::Installer ? kInstallerMargin : kOwnerMargin;
    std::int64_t at = token.expires - margin;
    if (token.issued > 0 && token.issued < token.expires) {
        at = std::max(at, token.issued + (token.expires - token.issued) / 2);
    }
    return at;
}

bool token_valid_at(const model::TokenInfo& token, std::int64_t now) {
    return token.expires <= 0 || token.expires > now;
}

std::chrono::seconds cloud_retry_delay(int failures) {
    constexpr std::chrono::seconds kFirst(60), kLongest(3600);
    std::chrono::seconds delay = kFirst;
    for (int i = 1; i < failures && delay < kLongest; ++i) delay *= 2;
    return std::min(delay, kLongest);
}

std::string utc_date(std::int64_t epoch) {
    std::time_t time = static_cast<std::time_t>(epoch);
    std::tm parts{};
    if (gmtime_r(&time, &parts) == nullptr) return "(an impossible date)";
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%d %H:%M UTC", &parts);
    return text;
}

}  // namespace envoy
