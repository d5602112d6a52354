// envoy: which token the client sends to token firmware, and getting new ones.
//
// Candidates: the configured token, the token cache file and the token in use before the last
// renewal. The usable one (not expired, not rejected, for this gateway) that expires last wins;
// the configured one wins ties. Without a usable one, and with an Enlighten account configured,
// it fetches one from the cloud and writes it to the cache (mode 0600, atomically). Once the
// gateway accepted a token it renews it ahead of its expiry (TokenRenewal.hpp); when the
// gateway rejects it, it switches to another candidate or fetches one at once. Failed cloud
// attempts are retried with backoff; the token in use stays in use meanwhile. Tokens and
// passwords are never logged.
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "envoy/CloudClient.hpp"
#include "envoy/Settings.hpp"
#include "loop/EventLoop.hpp"
#include "model/Gateway.hpp"

namespace envoy {

class TokenKeeper {
public:
    // on_token: a different token is ready (token(), info()); always called from the loop.
    TokenKeeper(loop::EventLoop& loop, const Settings& settings, std::function<void()> on_token);
    TokenKeeper(const TokenKeeper&) = delete;
    TokenKeeper& operator=(const TokenKeeper&) = delete;

    bool can_fetch() const { return cloud_.settings().configured(); }
    // Picks the token for this gateway. False when there is none yet: with can_fetch() one is
    // being fetched (on_token follows); else problem() says why, if anything was wrong.
    bool select(const std::string& gateway_serial);
    const std::string& token() const { return current_; }
    const model::TokenInfo& info() const { return info_; }
    const std::string& problem() const { return problem_; }

    // The gateway accepted token(): plan its renewal.
    void accepted();
    // The gateway rejected token(). True when a replacement will follow through on_token.
    bool rejected();

private:
    enum class Origin { Configured, Cache, Previous, Cloud };
    struct Candidate {
        std::string token;
        model::TokenInfo info;
        Origin origin;
    };

    std::optional<Candidate> best_candidate();
    std::optional<Candidate> candidate(const std::string& token, Origin origin);
    void use(Candidate&& chosen);
    void fetch();
    void on_fetched(cloud::Outcome&& outcome);
    void cloud_failed(const std::string& message);
    void plan_renewal();
    void announce();

    loop::EventLoop& loop_;
    std::string configured_;
    std::string cache_path_;
    CloudClient cloud_;
    std::function<void()> on_token_;
    std::string gateway_serial_;
    std::string current_;
    model::TokenInfo info_;
    Origin origin_ = Origin::Configured;
    std::string previous_;
    std::vector<std::string> rejected_;
    std::string problem_;
    bool current_accepted_ = false;  // the gateway has accepted current_ at least once
    int failures_ = 0;          // cloud attempts since the gateway last accepted a cloud token
    bool warned_unrenewable_ = false;
    loop::Timer timer_;         // renewal or retry
    loop::Timer announce_timer_;
};

}  // namespace envoy
