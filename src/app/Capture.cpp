// app: run_capture() — the gateway's answers, redacted, into a capture folder.
#include "app/Capture.hpp"

#include <filesystem>
#include <functional>
#include <optional>

#include <nlohmann/json.hpp>

#include "app/BoundedRun.hpp"
#include "app/EnvoySettings.hpp"
#include "app/Redactor.hpp"
#include "envoy/Client.hpp"
#include "log/Log.hpp"
#include "loop/EventLoop.hpp"
#include "util/AtomicFile.hpp"

namespace app {
namespace {

struct Endpoint {
    const char* path;
    const char* file;  // as tools/envoy-sim looks it up
};

// What the driver reads, then the battery and power-limit endpoints (docs/gateway-sources.md,
// the gateway API reference). /stream/meter is not recorded: it never ends, and the simulator
// generates it from the readings.
constexpr Endpoint kEndpoints[] = {
    {"/info", "info"},
    {"/production.json?details=1", "production.json_details_1"},
    {"/production.json", "production.json"},
    {"/api/v1/production", "api_v1_production"},
    {"/api/v1/production/inverters", "api_v1_production_inverters"},
    {"/ivp/meters", "ivp_meters"},
    {"/ivp/meters/readings", "ivp_meters_readings"},
    {"/inventory.json", "inventory.json"},
    {"/datatab/event_dt.rb?start=0&length=10", "datatab_event_dt.rb"},
    {"/ivp/pdm/device_data", "ivp_pdm_device_data"},
    {"/ivp/ensemble/inventory", "ivp_ensemble_inventory"},
    {"/ivp/ensemble/power", "ivp_ensemble_power"},
    {"/ivp/ensemble/secctrl", "ivp_ensemble_secctrl"},
    {"/ivp/ensemble/status", "ivp_ensemble_status"},
    {"/ivp/ss/dpel", "ivp_ss_dpel"},
    {"/ivp/ss/pel_settings", "ivp_ss_pel_settings"},
    {"/ivp/sc/pvlimit", "ivp_sc_pvlimit"},
    {"/ivp/mod/603980032/mode/power", "ivp_mod_603980032_mode_power"},
};

struct Recorded {
    const Endpoint* endpoint;
    envoy::HttpResponse response;
};

// Empty when dir can take a capture (created if missing), else why not.
std::string prepare(const std::string& dir) {
    std::error_code error;
    std::filesystem::create_directories(dir, error);
    if (error) return "cannot create " + dir + ": " + error.message();
    if (!std::filesystem::is_empty(dir, error) || error) return dir + " is not an empty folder";
    return "";
}

std::string log_json(const envoy::HttpResponse& response) {
    nlohmann::ordered_json log;
    nlohmann::ordered_json headers = nlohmann::ordered_json::object();
    if (!response.content_type.empty()) headers["content-type"] = response.content_type;
    log["headers"] = headers;
    log["code"] = response.status;
    return log.dump(4) + "\n";
}

std::vector<std::string> secrets_of(const config::Config& config) {
    return {config.envoy.token, config.envoy.password, config.envoy.enlighten_password, config.envoy.enlighten_user,
            config.mqtt.password};
}

}  // namespace

int run_capture(const config::Config& config, const std::string& dir) {
    if (auto problem = prepare(dir); !problem.empty()) {
        LOG_ERROR("--capture: " << problem);
        return 2;
    }
    loop::EventLoop loop;
    std::vector<Recorded> recorded;
    std::string fatal;
    bool started = false;
    auto settings = envoy_settings(config);
    settings.prefer_counters = true;  // polled readings: no stream connection held open meanwhile

    std::function<void(std::size_t)> fetch_from;
    envoy::Client* client = nullptr;
    envoy::ClientCallbacks callbacks;
    callbacks.on_snapshot = [](const model::Snapshot&) {};
    callbacks.on_lost = [] {};
    callbacks.on_status = [&](const envoy::ClientStatus&) {
        if (started || !client->ready()) return;  // a token change during the probe
        started = true;
        fetch_from(0);
    };
    callbacks.on_fatal = [&](const std::string& message) {
        fatal = message;
        loop.stop();
    };
    envoy::Client gateway(loop, settings, std::move(callbacks));
    client = &gateway;
    fetch_from = [&](std::size_t index) {
        if (index == std::size(kEndpoints)) {
            loop.stop();
            return;
        }
        const Endpoint& endpoint = kEndpoints[index];
        client->fetch(endpoint.path, [&, index](envoy::HttpResponse&& response) {
            LOG_INFO("capture: " << endpoint.path << ": " << response.describe() << ", " << response.body.size() << " bytes");
            recorded.push_back({&endpoint, std::move(response)});
            fetch_from(index + 1);
        });
    };
    const auto limit = std::chrono::seconds(30) + settings.request_timeout * static_cast<int>(std::size(kEndpoints));
    gateway.start();
    const bool timed_out = run_bounded(loop, limit);
    if (!fatal.empty()) {
        LOG_ERROR(fatal);
        return 2;
    }
    if (recorded.empty()) {
        LOG_ERROR("--capture: the gateway could not be read" << (timed_out ? " in time" : ""));
        return 1;
    }

    Redactor redactor(secrets_of(config));
    for (const auto& entry : recorded) redactor.learn(entry.response.body);
    int files = 0;
    for (const auto& entry : recorded) {
        const auto& response = entry.response;
        if (response.status == 0) continue;  // no answer at all: nothing to record
        const std::string base = dir + "/" + entry.endpoint->file;
        auto problem = util::write_atomic(base + "_log.json", log_json(response));
        if (!problem && response.status != 404) problem = util::write_atomic(base, redactor.redact(response.body));
        if (problem) {
            LOG_ERROR("--capture: " << *problem);
            return 2;
        }
        ++files;
    }
    LOG_INFO("capture: " << files << " endpoints recorded into " << dir << " (" << redactor.serials().size()
                         << " serial numbers, tokens, e-mail, IP and MAC addresses replaced)"
                         << (timed_out ? "; the gateway stopped answering before the end" : ""));
    return 0;
}

}  // namespace app
