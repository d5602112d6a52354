// app: run_once() — one snapshot from the gateway, with the energy counters the daemon would
// publish, to stdout, then exit.
#include "app/Once.hpp"

#include <optional>

#include "app/BoundedRun.hpp"
#include "app/EnvoySettings.hpp"
#include "energy/Counters.hpp"
#include "envoy/Client.hpp"
#include "log/Log.hpp"
#include "loop/EventLoop.hpp"
#include "mqtt/Encoders.hpp"

namespace app {

int run_once(const config::Config& config, std::ostream& out) {
    loop::EventLoop loop;
    std::optional<model::Snapshot> snapshot;
    std::string fatal;
    auto settings = envoy_settings(config);
    settings.prefer_counters = true;
    envoy::ClientCallbacks callbacks;
    callbacks.on_snapshot = [&](const model::Snapshot& received) {
        if (snapshot) return;
        snapshot = received;
        loop.stop();
    };
    callbacks.on_lost = [] {};
    callbacks.on_fatal = [&](const std::string& message) {
        fatal = message;
        loop.stop();
    };
    envoy::Client client(loop, settings, std::move(callbacks));
    auto limit = std::max<std::chrono::milliseconds>(std::chrono::seconds(30), 3 * settings.request_timeout);
    client.start();
    const bool timed_out = run_bounded(loop, limit);
    if (!fatal.empty()) {
        LOG_ERROR(fatal);
        return 2;
    }
    if (!snapshot) {
        if (timed_out) LOG_ERROR("no data from the gateway within " << std::chrono::duration_cast<std::chrono::seconds>(limit).count() << " s");
        return 1;
    }
    // The counters the daemon would publish for this snapshot (the gateway's own; nothing is
    // integrated from a single sample).
    energy::Counters counters;
    counters.observe(*snapshot, energy::Clock::now());
    counters.resolve(*snapshot);
    out << mqtt::encode_meters(*snapshot) << std::endl;
    return 0;
}

}  // namespace app
