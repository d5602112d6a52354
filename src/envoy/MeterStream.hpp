// envoy: the /stream/meter source. Server-Sent Events arrive about once per second; each
// event becomes a snapshot immediately. Silence longer than the stream timeout (a stall
// without a close), a closed connection or an HTTP error is a failure.
#pragma once

#include "envoy/GatewaySession.hpp"
#include "envoy/Source.hpp"
#include "envoy/parsers/Stream.hpp"
#include "loop/Deadline.hpp"
#include "loop/EventLoop.hpp"

namespace envoy {

class MeterStream final : public Source {
public:
    MeterStream(loop::EventLoop& loop, GatewaySession& session, const model::MeterConfigs& meters,
                std::chrono::milliseconds stall_timeout, SourceCallbacks callbacks);
    ~MeterStream() override;
    model::Source kind() const override { return model::Source::Stream; }
    void start() override;

private:
    void on_chunk(std::string_view chunk);
    void on_event(std::string_view json);
    void fail(SourceFailure failure);

    GatewaySession& session_;
    const model::MeterConfigs& meters_;
    std::chrono::milliseconds stall_timeout_;
    SourceCallbacks callbacks_;
    loop::Deadline stall_;  // extended by every event
    parse::StreamDecoder decoder_;
    HttpClient::RequestId request_ = 0;
    unsigned events_ = 0;
    unsigned bad_events_ = 0;
    bool failed_ = false;
};

}  // namespace envoy
