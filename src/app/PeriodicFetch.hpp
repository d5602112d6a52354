// app: one [DATA] fetch (devices, inverters, events): GET a gateway path every interval
// through the gateway client and hand the body to a handler. Errors are logged once per
// change of state and retried sooner than the interval, so a gateway that was down at start
// still gets its data fetched soon after it comes back.
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <string_view>

#include "envoy/Client.hpp"
#include "loop/EventLoop.hpp"

namespace app {

class PeriodicFetch {
public:
    // handler may throw envoy::parse::ParseError: logged as a failed fetch.
    using Handler = std::function<void(std::string_view body)>;

    PeriodicFetch(loop::EventLoop& loop, envoy::Client& client, std::string path, std::chrono::seconds interval,
                  Handler handler);
    void start(std::chrono::milliseconds first_delay);

private:
    void fetch();
    void schedule(std::chrono::milliseconds delay);

    envoy::Client& client_;
    std::string path_;
    std::chrono::seconds interval_;
    Handler handler_;
    loop::Timer timer_;
    bool failing_ = false;
};

}  // namespace app
