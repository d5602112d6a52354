// envoy: a polling source: GET one path at a fixed period (measured from the start of each
// request, so a slow answer does not stretch the period), parse it into a snapshot and
// report it. Used for /ivp/meters/readings (about 1 s) and for the inverters' production
// (no CTs). Consecutive failures beyond a limit, a 401 or a 404 end the source.
#pragma once

#include <functional>
#include <string>

#include "envoy/GatewaySession.hpp"
#include "envoy/Source.hpp"
#include "loop/EventLoop.hpp"

namespace envoy {

class Poller final : public Source {
public:
    // Throws envoy::parse::ParseError on a body it cannot use.
    using Parse = std::function<model::Snapshot(std::string_view body)>;

    Poller(loop::EventLoop& loop, GatewaySession& session, model::Source kind, std::string path,
           std::chrono::milliseconds period, int failures_allowed, Parse parse, SourceCallbacks callbacks);
    ~Poller() override;
    model::Source kind() const override { return kind_; }
    void start() override { poll(); }

private:
    void poll();
    void on_response(HttpResponse&& response);
    void failed(const std::string& reason, bool unauthorized, bool unreachable, bool at_once = false);

    GatewaySession& session_;
    model::Source kind_;
    std::string path_;
    std::chrono::milliseconds period_;
    int failures_allowed_;
    Parse parse_;
    SourceCallbacks callbacks_;
    loop::Timer next_;
    loop::Clock::time_point started_{};
    HttpClient::RequestId request_ = 0;
    int failures_ = 0;
    bool ended_ = false;
};

}  // namespace envoy
