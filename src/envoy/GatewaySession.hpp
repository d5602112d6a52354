// envoy: one authenticated conversation with a gateway: its base URL, the credentials to
// send, and GET / streaming GET / POST of a path. Knows nothing of what the answers mean.
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "envoy/HttpClient.hpp"

namespace envoy {

class GatewaySession {
public:
    GatewaySession(HttpClient& http, std::chrono::milliseconds request_timeout)
        : http_(http), request_timeout_(request_timeout) {}

    void set_base(std::string base_url) { base_ = std::move(base_url); }
    const std::string& base() const { return base_; }
    void set_auth(HttpAuth auth) { auth_ = std::move(auth); }
    const HttpAuth& auth() const { return auth_; }
    // The key every request requires of the gateway ("" none: plain HTTP, or pinning is off).
    void set_pin(std::string pin) { pin_ = std::move(pin); }
    const std::string& pin() const { return pin_; }

    // GET base + path (path starts with '/').
    HttpClient::RequestId get(std::string_view path, HttpClient::DoneCallback on_done) {
        return get_as(path, auth_, std::move(on_done));
    }
    // The same with other credentials (a token not in use yet).
    HttpClient::RequestId get_as(std::string_view path, const HttpAuth& auth, HttpClient::DoneCallback on_done);
    // GET base + path without credentials or pin, on a connection of its own, telling the key
    // the gateway presents (HttpResponse::peer_key): for /info, before anything is sent to it.
    HttpClient::RequestId get_learning_key(std::string_view path, HttpClient::DoneCallback on_done);
    // POST base + path with a JSON body (a setting the gateway takes, e.g. its DPEL limit).
    HttpClient::RequestId post_json(std::string_view path, std::string body, HttpClient::DoneCallback on_done);
    // Long-lived GET whose body arrives chunk by chunk; on_done when it ends for any reason.
    HttpClient::RequestId stream(std::string_view path, std::function<void(std::string_view)> on_chunk,
                                 HttpClient::DoneCallback on_done);
    void cancel(HttpClient::RequestId id) { http_.cancel(id); }
    HttpClient& http() { return http_; }

private:
    HttpClient& http_;
    std::chrono::milliseconds request_timeout_;
    std::string base_;
    HttpAuth auth_;
    std::string pin_;
};

}  // namespace envoy
