// app: run_once() — one snapshot from the gateway, with the energy counters the daemon would
// publish, to stdout, then exit. When the gateway has batteries, the battery object of their
// first round (envoy::BatteryReader, started with the first snapshot) is printed under
// "battery"; a round that does not end within kBatteryWait leaves it out, with a warning.
#include "app/Once.hpp"

#include <optional>

#include "app/BoundedRun.hpp"
#include "app/EnvoySettings.hpp"
#include "energy/Counters.hpp"
#include "envoy/BatteryReader.hpp"
#include "envoy/BatteryTotal.hpp"
#include "envoy/Client.hpp"
#include "log/Log.hpp"
#include "loop/EventLoop.hpp"
#include "mqtt/BatteryEncoder.hpp"
#include "mqtt/Encoders.hpp"

namespace app {
namespace {

constexpr std::chrono::seconds kBatteryWait{20};  // after the snapshot: four requests at most

// The meters object, with the battery object under "battery" when there are batteries.
std::string printed(const model::Snapshot& snapshot, const std::optional<model::Batteries>& batteries) {
    if (!batteries || !batteries->present()) return mqtt::encode_meters(snapshot);
    auto out = nlohmann::ordered_json::parse(mqtt::encode_meters(snapshot));
    out["battery"] = mqtt::battery_json(envoy::battery_total(*batteries, snapshot.storage), *batteries);
    return out.dump();
}

}  // namespace

int run_once(const config::Config& config, std::ostream& out) {
    loop::EventLoop loop;
    std::optional<model::Snapshot> snapshot;
    std::optional<model::Batteries> batteries;
    std::unique_ptr<envoy::BatteryReader> battery_reader;
    loop::Timer battery_wait(loop);
    std::string fatal;
    auto settings = envoy_settings(config);
    settings.prefer_counters = true;
    envoy::ClientCallbacks callbacks;
    callbacks.on_snapshot = [&](const model::Snapshot& received) {
        if (snapshot) return;
        snapshot = received;
        battery_reader->start(std::chrono::milliseconds(0));
        battery_wait.start(kBatteryWait, [&] {
            LOG_WARNING("batteries: no complete answer within " << kBatteryWait.count() << " s; printed without them");
            loop.stop();
        });
    };
    callbacks.on_lost = [] {};
    callbacks.on_fatal = [&](const std::string& message) {
        fatal = message;
        loop.stop();
    };
    envoy::Client client(loop, settings, std::move(callbacks));
    battery_reader = std::make_unique<envoy::BatteryReader>(
        loop, client, envoy::BatteryCallbacks{[&](const model::Batteries& read) {
                                                  batteries = read;
                                                  loop.stop();
                                              },
                                              [] {}});
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
    out << printed(*snapshot, batteries) << std::endl;
    return 0;
}

}  // namespace app
