// envoy: CounterRefresh implementation.
#include "envoy/CounterRefresh.hpp"

#include "envoy/parsers/Parsers.hpp"
#include "log/Log.hpp"

namespace envoy {

CounterRefresh::CounterRefresh(loop::EventLoop& loop, GatewaySession& session, const model::MeterConfigs& meters,
                               std::chrono::milliseconds interval, std::function<bool()> still_wanted,
                               std::function<void(const model::Snapshot&)> on_readings)
    : session_(session),
      meters_(meters),
      interval_(interval),
      still_wanted_(std::move(still_wanted)),
      on_readings_(std::move(on_readings)),
      timer_(loop) {}

CounterRefresh::~CounterRefresh() {
    if (request_ != 0) session_.cancel(request_);
}

void CounterRefresh::refresh() {
    if (request_ != 0) return;
    request_ = session_.get("/ivp/meters/readings", [this](HttpResponse&& response) {
        request_ = 0;
        if (response.ok()) {
            try {
                on_readings_(parse::readings(response.body, meters_));
            } catch (const parse::ParseError& error) {
                LOG_DEBUG("energy counters: " << error.what());
            }
        } else {
            LOG_DEBUG("energy counters: /ivp/meters/readings: " << response.describe());
        }
        if (still_wanted_()) timer_.start(interval_, [this] { refresh(); });
    });
}

}  // namespace envoy
