// envoy: the gateway client. It probes the gateway (/info: serial, firmware, metering
// board), authenticates (Digest on pre-7 firmware, a JWT on token firmware: configured,
// cached or from the Enphase cloud through the TokenKeeper, renewed ahead of its expiry and
// when the gateway answers 401), reads the meter configuration, and runs the best data source
// the gateway allows: the meter stream, else meter readings polling, else production.json
// polling (CTs that /ivp/meters does not list), else the microinverters' reports (see
// docs/gateway-sources.md). A source that stops working falls back to the next; the better one
// is retried in the background and takes over once it delivers. Snapshots are handed on the
// moment they are parsed. It knows nothing of D-Bus or MQTT.
#pragma once

#include <array>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "envoy/GatewayKey.hpp"
#include "envoy/GatewaySession.hpp"
#include "envoy/HttpClient.hpp"
#include "envoy/Settings.hpp"
#include "envoy/Source.hpp"
#include "envoy/TokenKeeper.hpp"
#include "loop/EventLoop.hpp"
#include "model/Gateway.hpp"
#include "model/Production.hpp"
#include "model/Snapshot.hpp"

namespace envoy {

struct ClientStatus {
    model::GatewayInfo gateway;
    std::optional<model::TokenInfo> token;  // token firmware only
    model::Source source = model::Source::None;
    bool token_access = false;              // talked to as token firmware (a forced [ENVOY] firmware wins over /info)
    std::string base_url;                   // "https://192.168.1.50"
    std::string problem;                    // why no data may flow, e.g. the gateway's key changed
    int meters_enabled = 0;                 // enabled production / consumption meters
    // "https://192.168.1.50 (stream)", or with the problem instead of the source, for /Mgmt/Connection.
    std::string connection() const;
};

struct ClientCallbacks {
    std::function<void(const model::Snapshot&)> on_snapshot;  // each new sample, immediately
    std::function<void()> on_lost;                            // data stopped: values are unknown now
    std::function<void(const ClientStatus&)> on_status;       // gateway, token or source changed
    std::function<void(const std::string&)> on_fatal;         // cannot work without a config change
};

class Client {
public:
    Client(loop::EventLoop& loop, Settings settings, ClientCallbacks callbacks);
    ~Client();
    Client(const Client&) = delete;
    Client& operator=(const Client&) = delete;

    void start();
    // Authenticated GET of any gateway path (for the [DATA] fetches). Before the gateway is
    // known it answers asynchronously with status 0 and an error.
    void fetch(std::string path, HttpClient::DoneCallback on_done);
    bool ready() const { return ready_; }
    const ClientStatus& status() const { return status_; }
    // The latest /production.json summary, if one was read.
    const std::optional<model::ProductionSummary>& production() const { return production_; }

private:
    static constexpr int kSourceCount = 5;

    void probe();
    void probe_info(std::size_t candidate);
    void on_info(std::size_t candidate, HttpResponse&& response);
    void after_info();
    bool check_gateway_key(const std::string& presented);
    void key_changed(const std::string& pinned, const std::string& presented);
    bool configure_auth();
    void check_token();
    void use_token();
    void on_new_token();
    void token_rejected(const std::string& why);
    void stop_data();
    void after_source_failure(model::Source kind, const SourceFailure& failure);
    void load_meters();
    void load_production(bool then_start_sources);
    std::chrono::milliseconds production_refresh() const;
    bool has_enabled_meter(model::MeasurementType type) const;
    bool inverters_from_production_json() const;
    void start_sources();
    void retry_later(const std::string& why, bool quiet = false);

    bool source_possible(model::Source kind) const;
    std::optional<model::Source> best_available(model::Source worse_than_or_equal) const;
    std::unique_ptr<Source> make_source(model::Source kind);
    void run_source(model::Source kind);
    void try_candidate();
    void schedule_candidate();
    void on_source_snapshot(Source* source, const model::Snapshot& snapshot);
    void on_source_failure(Source* source, const SourceFailure& failure);
    void bury(std::unique_ptr<Source> source);
    void arm_lost_timer();
    void publish_status();
    void refresh_counters();

    loop::EventLoop& loop_;
    Settings settings_;
    ClientCallbacks callbacks_;
    HttpClient http_;
    GatewaySession session_;
    PinStore pins_;
    TokenKeeper tokens_;
    ClientStatus status_;
    model::MeterConfigs meters_;
    std::optional<model::ProductionSummary> production_;
    std::vector<std::string> candidates_;   // base URLs to probe, best first
    std::unique_ptr<Source> active_;
    std::unique_ptr<Source> candidate_;
    std::vector<std::unique_ptr<Source>> graveyard_;
    std::array<loop::Clock::time_point, kSourceCount> blocked_until_{};
    loop::Timer retry_timer_;
    loop::Timer candidate_timer_;
    loop::Timer lost_timer_;
    loop::Timer production_timer_;
    loop::Timer graveyard_timer_;
    loop::Timer counters_timer_;
    std::optional<model::Snapshot> counters_;       // latest readings, for the stream's missing counters
    loop::Clock::time_point counters_at_{};
    HttpClient::RequestId counters_request_ = 0;
    std::chrono::milliseconds probe_backoff_{2000};
    bool ready_ = false;
    bool delivering_ = false;
    bool stopping_ = false;
    bool waiting_for_token_ = false;   // data stopped until the TokenKeeper has a token
    bool firmware_mismatch_told_ = false;
    bool key_change_told_ = false;
    bool any_key_told_ = false;
    bool inverters_on_production_json_ = false;  // the inverters source reads production.json, not /api/v1/production
    bool api_v1_unusable_ = false;                // /api/v1/production failed where production.json has the figure
    bool total_fault_told_ = false;
};

}  // namespace envoy
