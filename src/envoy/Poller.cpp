// envoy: Poller implementation.
#include "envoy/Poller.hpp"

#include "envoy/parsers/ParseError.hpp"
#include "log/Log.hpp"

namespace envoy {

Poller::Poller(loop::EventLoop& loop, GatewaySession& session, model::Source kind, std::string path,
               std::chrono::milliseconds period, int failures_allowed, Parse parse, SourceCallbacks callbacks)
    : session_(session),
      kind_(kind),
      path_(std::move(path)),
      period_(period),
      failures_allowed_(failures_allowed),
      parse_(std::move(parse)),
      callbacks_(std::move(callbacks)),
      next_(loop) {}

Poller::~Poller() {
    if (request_ != 0) session_.cancel(request_);
}

void Poller::poll() {
    started_ = loop::Clock::now();
    request_ = session_.get(path_, [this](HttpResponse&& response) {
        request_ = 0;
        on_response(std::move(response));
    });
}

void Poller::on_response(HttpResponse&& response) {
    if (response.status == 401) {
        failed(path_ + ": the gateway refused access (HTTP 401)", true, false);
        return;
    }
    if (response.status == 404) {
        // The gateway does not have this endpoint: asking again will not change that.
        failed(path_ + ": the gateway does not have it (HTTP 404)", false, false, true);
        return;
    }
    if (!response.ok()) {
        failed(path_ + ": " + response.describe(), false, response.status == 0);
        return;
    }
    model::Snapshot snapshot;
    try {
        snapshot = parse_(response.body);
    } catch (const parse::ParseError& error) {
        failed(error.what(), false, false);
        return;
    }
    failures_ = 0;
    auto wait = period_ - (loop::Clock::now() - started_);
    next_.start(wait > loop::Clock::duration::zero() ? wait : loop::Clock::duration::zero(), [this]() { poll(); });
    callbacks_.on_snapshot(snapshot);  // last: the callback may end this source
}

void Poller::failed(const std::string& reason, bool unauthorized, bool unreachable, bool at_once) {
    if (ended_) return;
    ++failures_;
    if (unauthorized || unreachable || at_once || failures_ >= failures_allowed_) {
        ended_ = true;
        std::string why = failures_ > 1 ? reason + " (" + std::to_string(failures_) + " failures in a row)" : reason;
        callbacks_.on_failure({why, unauthorized, unreachable});  // last: the callback destroys this source
        return;
    }
    LOG_WARNING(reason << "; retrying");
    next_.start(period_, [this]() { poll(); });
}

}  // namespace envoy
