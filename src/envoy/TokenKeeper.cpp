// envoy: TokenKeeper implementation (candidates, cache file, cloud fetches, renewal timing).
#include "envoy/TokenKeeper.hpp"

#include <algorithm>
#include <ctime>

#include "envoy/TokenRenewal.hpp"
#include "envoy/parsers/Jwt.hpp"
#include "envoy/parsers/ParseError.hpp"
#include "log/Log.hpp"
#include "util/AtomicFile.hpp"
#include "util/Text.hpp"

namespace envoy {
namespace {

constexpr std::size_t kMaxRejected = 16;  // tokens the gateway refused, remembered so as not to send them again

// The loop's timers take milliseconds in an int: wake at least daily and look again.
constexpr std::int64_t kLongestWait = 24 * 3600;

std::int64_t now() { return static_cast<std::int64_t>(std::time(nullptr)); }

std::string describe_wait(std::chrono::seconds wait) {
    if (wait.count() % 3600 == 0) return std::to_string(wait.count() / 3600) + " h";
    if (wait.count() % 60 == 0) return std::to_string(wait.count() / 60) + " min";
    return std::to_string(wait.count()) + " s";
}

}  // namespace

TokenKeeper::TokenKeeper(loop::EventLoop& loop, const Settings& settings, std::function<void()> on_token)
    : loop_(loop),
      configured_(settings.token),
      cache_path_(settings.token_cache),
      cloud_(loop, settings.cloud),
      on_token_(std::move(on_token)),
      timer_(loop),
      announce_timer_(loop) {
    // A cache write that a power cut interrupted leaves a temporary copy of a token behind.
    if (!cache_path_.empty()) util::remove_stale_temporaries(cache_path_);
}

std::optional<TokenKeeper::Candidate> TokenKeeper::candidate(const std::string& token, Origin origin) {
    if (token.empty() || std::find(rejected_.begin(), rejected_.end(), token) != rejected_.end()) return std::nullopt;
    model::TokenInfo info;
    try {
        info = parse::jwt(token);
    } catch (const parse::ParseError& error) {
        if (origin == Origin::Configured) problem_ = error.what();
        if (origin == Origin::Cache) LOG_WARNING("[ENVOY] token_cache " << cache_path_ << ": " << error.what() << "; ignoring it");
        return std::nullopt;
    }
    if (!token_valid_at(info, now())) return std::nullopt;
    // A token names the gateway it was issued for: it is never sent to another one (a replaced
    // gateway, or another device at the address).
    if (!info.serial.empty() && !gateway_serial_.empty() && info.serial != gateway_serial_) {
        if (origin == Origin::Configured) {
            problem_ = "issued for gateway " + info.serial + ", but this gateway is " + gateway_serial_ +
                       "; it is not sent to it";
        }
        return std::nullopt;
    }
    return Candidate{token, info, origin};
}

std::optional<TokenKeeper::Candidate> TokenKeeper::best_candidate() {
    std::optional<Candidate> best = candidate(configured_, Origin::Configured);
    std::string cached;
    if (!cache_path_.empty()) {
        if (auto text = util::read_whole_file(cache_path_)) cached = util::trim(*text);
    }
    for (auto other : {candidate(cached, Origin::Cache), candidate(previous_, Origin::Previous)}) {
        if (!other) continue;
        auto expiry = [](const Candidate& c) { return c.info.expires <= 0 ? INT64_MAX : c.info.expires; };
        if (!best || expiry(*other) > expiry(*best)) best = std::move(other);
    }
    return best;
}

bool TokenKeeper::select(const std::string& gateway_serial) {
    gateway_serial_ = gateway_serial;
    if (!current_.empty() && token_valid_at(info_, now())) return true;
    problem_.clear();
    if (auto best = best_candidate()) {
        use(std::move(*best));
        return true;
    }
    if (can_fetch()) {
        const bool retry_planned = failures_ > 0 && timer_.pending();
        if (!cloud_.busy() && !retry_planned) {
            LOG_INFO("no usable token: requesting one from the Enphase cloud");
            fetch();
        }
        return false;
    }
    // Without a cloud account the configured token is all there is: use it even when expired,
    // so that the gateway's answer is what the user sees.
    if (!configured_.empty() && problem_.empty()) {
        try {
            use({configured_, parse::jwt(configured_), Origin::Configured});
            return true;
        } catch (const parse::ParseError& error) {
            problem_ = error.what();
        }
    }
    return false;
}

void TokenKeeper::use(Candidate&& chosen) {
    if (!current_.empty() && current_ != chosen.token) previous_ = current_;
    current_ = std::move(chosen.token);
    info_ = chosen.info;
    origin_ = chosen.origin;
    current_accepted_ = false;
    const char* from = origin_ == Origin::Configured ? "the configured token"
                       : origin_ == Origin::Cache    ? "the cached token"
                       : origin_ == Origin::Previous ? "the previous token"
                                                     : "the cloud's token";
    LOG_DEBUG("using " << from);
}

void TokenKeeper::accepted() {
    current_accepted_ = true;
    if (origin_ == Origin::Cloud || origin_ == Origin::Cache) failures_ = 0;
    if (failures_ > 0 && timer_.pending()) return;  // a cloud retry is already planned
    plan_renewal();
}

bool TokenKeeper::rejected() {
    if (!current_.empty()) rejected_.push_back(current_);
    if (rejected_.size() > kMaxRejected) rejected_.erase(rejected_.begin());
    // A token the cloud just issued that the gateway never accepted: asking again at once would
    // only repeat that. A token that worked until now is replaced at once.
    const bool fresh_from_cloud = origin_ == Origin::Cloud && !current_accepted_;
    if (current_ == previous_) previous_.clear();
    current_.clear();
    info_ = {};
    if (auto best = best_candidate()) {
        use(std::move(*best));
        announce();
        return true;
    }
    if (!can_fetch()) return false;
    if (cloud_.busy()) return true;
    if (fresh_from_cloud) {
        cloud_failed("the gateway rejected the token the Enphase cloud issued (check [ENVOY] serial)");
        return true;
    }
    if (!timer_.pending() || failures_ == 0) fetch();
    return true;
}

void TokenKeeper::fetch() {
    if (cloud_.busy()) return;
    timer_.cancel();
    const std::string serial = cloud_.settings().serial.empty() ? gateway_serial_ : cloud_.settings().serial;
    if (serial.empty()) {
        cloud_failed("[ENVOY] serial: not set and the gateway's serial is not known yet");
        return;
    }
    if (!gateway_serial_.empty() && serial != gateway_serial_) {
        cloud_failed("[ENVOY] serial " + serial + " differs from the gateway's serial " + gateway_serial_ +
                     ": a token for it would not be sent to this gateway");
        return;
    }
    LOG_INFO("requesting a token for gateway " << serial << " from the Enphase cloud");
    cloud_.fetch(serial, [this](cloud::Outcome&& outcome) { on_fetched(std::move(outcome)); });
}

void TokenKeeper::on_fetched(cloud::Outcome&& outcome) {
    if (outcome.problem != cloud::Problem::None) {
        cloud_failed(outcome.message);
        return;
    }
    model::TokenInfo info;
    try {
        info = parse::jwt(outcome.value);
    } catch (const parse::ParseError& error) {
        cloud_failed(std::string("the Enphase token service answered an unreadable token: ") + error.what());
        return;
    }
    if (!token_valid_at(info, now())) {
        cloud_failed("the Enphase token service answered a token that expired on " + utc_date(info.expires) +
                     " (is the clock right?)");
        return;
    }
    if (!info.serial.empty() && !gateway_serial_.empty() && info.serial != gateway_serial_) {
        cloud_failed("the Enphase token service answered a token for gateway " + info.serial + ", this gateway is " +
                     gateway_serial_);
        return;
    }
    if (!cache_path_.empty()) {
        if (const auto problem = util::write_atomic(cache_path_, outcome.value + "\n", 0600)) {
            LOG_WARNING("[ENVOY] token_cache " << cache_path_ << ": " << *problem << "; the token is not kept across restarts");
        }
    }
    LOG_INFO("received a new " << (info.user == model::TokenUser::Installer ? "installer"
                                   : info.user == model::TokenUser::Owner  ? "owner"
                                                                            : "unknown")
                               << " token from the Enphase cloud, expires "
                               << (info.expires > 0 ? utc_date(info.expires) : std::string("(not stated)")));
    use({std::move(outcome.value), info, Origin::Cloud});
    announce();
}

void TokenKeeper::cloud_failed(const std::string& message) {
    ++failures_;
    const auto wait = cloud_retry_delay(failures_);
    const bool keeps_working = !current_.empty() && token_valid_at(info_, now());
    LOG_ERROR(message << "; retrying in " << describe_wait(wait)
                      << (keeps_working ? " (the current token stays in use)" : ""));
    timer_.start(wait, [this] { fetch(); });
}

void TokenKeeper::plan_renewal() {
    const auto at = renewal_time(info_);
    if (!at) return;
    const std::int64_t wait = *at - now();
    if (wait > 0) {
        timer_.start(std::chrono::seconds(std::min(wait, kLongestWait)), [this] { plan_renewal(); });
        return;
    }
    if (!can_fetch()) {
        if (!warned_unrenewable_) {
            warned_unrenewable_ = true;
            LOG_WARNING("the token expires on " << utc_date(info_.expires)
                                                << ": set [ENVOY] enlighten_user, enlighten_password and serial to renew "
                                                   "it automatically, or paste a new token");
        }
        return;
    }
    LOG_INFO("renewing the token ahead of its expiry on " << utc_date(info_.expires));
    fetch();
}

void TokenKeeper::announce() {
    announce_timer_.start(std::chrono::milliseconds(0), [this] {
        if (on_token_) on_token_();
    });
}

}  // namespace envoy
