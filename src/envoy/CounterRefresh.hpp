// envoy: the readings request that fetches the meters' own energy counters while the stream
// is the source (the stream carries none): one now, then one every interval for as long as
// it is still wanted. Failures are logged at debug level; the next request comes anyway.
#pragma once

#include <functional>

#include "envoy/GatewaySession.hpp"
#include "loop/EventLoop.hpp"
#include "model/Gateway.hpp"
#include "model/Snapshot.hpp"

namespace envoy {

class CounterRefresh {
public:
    CounterRefresh(loop::EventLoop& loop, GatewaySession& session, const model::MeterConfigs& meters,
                   std::chrono::milliseconds interval, std::function<bool()> still_wanted,
                   std::function<void(const model::Snapshot&)> on_readings);
    ~CounterRefresh();
    CounterRefresh(const CounterRefresh&) = delete;
    CounterRefresh& operator=(const CounterRefresh&) = delete;

    // A request now, unless one is under way.
    void refresh();

private:
    GatewaySession& session_;
    const model::MeterConfigs& meters_;
    std::chrono::milliseconds interval_;
    std::function<bool()> still_wanted_;
    std::function<void(const model::Snapshot&)> on_readings_;
    loop::Timer timer_;
    HttpClient::RequestId request_ = 0;
};

}  // namespace envoy
