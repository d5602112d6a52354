// envoy: MeterStream implementation.
#include "envoy/MeterStream.hpp"

#include "envoy/parsers/ParseError.hpp"
#include "log/Log.hpp"

namespace envoy {

MeterStream::MeterStream(loop::EventLoop& loop, GatewaySession& session, const model::MeterConfigs& meters,
                         std::chrono::milliseconds stall_timeout, SourceCallbacks callbacks)
    : session_(session),
      meters_(meters),
      stall_timeout_(stall_timeout),
      callbacks_(std::move(callbacks)),
      stall_(loop, [this]() {
          fail({"the meter stream sent no event for " + std::to_string(stall_timeout_.count()) + " ms (stalled)", false});
      }) {}

MeterStream::~MeterStream() {
    if (request_ != 0) session_.cancel(request_);
}

void MeterStream::start() {
    stall_.extend(stall_timeout_);
    request_ = session_.stream(
        "/stream/meter", [this](std::string_view chunk) { on_chunk(chunk); },
        [this](HttpResponse&& response) {
            request_ = 0;
            if (response.status == 401) {
                fail({"the gateway refused the meter stream (HTTP 401; it needs installer access)", true});
            } else if (response.status == 0) {
                fail({"the meter stream failed: " + response.describe(), false, true});
            } else if (response.status < 200 || response.status >= 300) {
                fail({"the meter stream failed: " + response.describe(), false});
            } else {
                fail({"the gateway closed the meter stream" + (response.error.empty() ? "" : " (" + response.error + ")"), false});
            }
        });
}

void MeterStream::on_chunk(std::string_view chunk) {
    try {
        decoder_.feed(chunk, [this](std::string_view json) { on_event(json); });
    } catch (const parse::ParseError& error) {
        LOG_WARNING("meter stream: " << error.what());
        decoder_.reset();
    }
}

void MeterStream::on_event(std::string_view json) {
    if (failed_) return;
    model::Snapshot snapshot;
    try {
        snapshot = parse::stream_event(json, meters_);
    } catch (const parse::ParseError& error) {
        // One bad event is skipped; the stall timer decides when the stream is useless.
        if (bad_events_++ == 0 || logging::enabled(logging::Level::Debug)) LOG_WARNING("meter stream: " << error.what());
        return;
    }
    bad_events_ = 0;
    ++events_;
    stall_.extend(stall_timeout_);
    callbacks_.on_snapshot(snapshot);
}

void MeterStream::fail(SourceFailure failure) {
    if (failed_) return;
    failed_ = true;
    stall_.cancel();
    if (request_ != 0) {
        session_.cancel(request_);
        request_ = 0;
    }
    callbacks_.on_failure(failure);
}

}  // namespace envoy
