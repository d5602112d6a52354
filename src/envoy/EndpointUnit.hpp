// envoy: one endpoint unit of the [DATA] fetches (devices, inverters, events; later batteries
// and power limits), like pyenphase's updaters: it GETs its path every interval through the
// gateway client, reads the body (its parser, EndpointUnits.hpp) and hands the value on.
// It knows whether the gateway has the endpoint (EndpointPresence): a 404 or 401 before the
// endpoint ever answered means it is not there; that is said once and the endpoint is not asked
// again until the gateway is probed again (Client::connections()). Other errors, and a 404 or 401 of an
// endpoint that answered before, are logged once per change of state and retried sooner than
// the interval, so a gateway that was down at start still gets its data fetched soon after it
// comes back.
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <string_view>

#include "envoy/Client.hpp"
#include "envoy/EndpointPresence.hpp"
#include "loop/EventLoop.hpp"

namespace envoy {

class EndpointUnit {
public:
    // Parses the body and delivers the value; may throw envoy::parse::ParseError (a failed fetch).
    using Read = std::function<void(std::string_view body)>;

    EndpointUnit(loop::EventLoop& loop, Client& client, std::string path, std::chrono::seconds interval, Read read);
    void start(std::chrono::milliseconds first_delay);

private:
    void fetch();
    void on_response(HttpResponse&& response);
    void schedule(std::chrono::milliseconds delay);

    Client& client_;
    std::string path_;
    std::chrono::seconds interval_;
    Read read_;
    loop::Timer timer_;
    bool failing_ = false;
    EndpointPresence presence_;
};

}  // namespace envoy
