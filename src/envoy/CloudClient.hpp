// envoy: obtains a gateway token from the Enphase cloud: the Enlighten login (e-mail and
// password → session) then the token service (session, serial → token), over verified TLS,
// non-blocking on the event loop. One exchange at a time; it never logs what it sends or gets.
#pragma once

#include <functional>
#include <string>

#include "envoy/CloudProtocol.hpp"
#include "envoy/HttpClient.hpp"
#include "envoy/Settings.hpp"
#include "loop/EventLoop.hpp"

namespace envoy {

class CloudClient {
public:
    using Done = std::function<void(cloud::Outcome&&)>;

    CloudClient(loop::EventLoop& loop, CloudSettings settings);
    CloudClient(const CloudClient&) = delete;
    CloudClient& operator=(const CloudClient&) = delete;

    const CloudSettings& settings() const { return settings_; }
    bool busy() const { return request_ != 0; }
    // Starts an exchange for the gateway `serial`; done is called once on the loop with the
    // token (Outcome::value) or the problem. Ignored while busy().
    void fetch(const std::string& serial, Done done);

private:
    void request_token(const std::string& session_id, const std::string& serial);
    void finish(cloud::Outcome&& outcome);

    CloudSettings settings_;
    HttpClient http_;  // own cookies and connections: nothing shared with the gateway's session
    HttpClient::RequestId request_ = 0;
    Done done_;
};

}  // namespace envoy
