// envoy: the gateway client. It probes the gateway (/info: serial, firmware, metering
// board), authenticates (Digest on pre-7 firmware, a JWT on token firmware: configured,
// cached or from the Enphase cloud through the TokenKeeper, renewed ahead of its expiry and
// when the gateway answers 401), reads the meter configuration, and runs the best data source
// the gateway allows: the meter stream, else meter readings polling, else production.json
// polling (CTs that /ivp/meters does not list), else the microinverters' reports (see
// docs/gateway-sources.md). A source that stops working falls back to the next; the better one
// is retried in the background and takes over once it delivers. Snapshots are handed on the
// moment they are parsed. It knows nothing of D-Bus or MQTT. It coordinates: which source runs
// is SourceSelection's decision, the counters a sample lacks are CounterMerge's, lost data is
// the DataWatchdog's, and the gateway's word on a token is TokenCheck's. Its member functions
// are in Client.cpp (sources), ClientProbe.cpp (the probe) and ClientAuth.cpp (tokens).
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "envoy/ClientStatus.hpp"
#include "envoy/CounterMerge.hpp"
#include "envoy/CounterRefresh.hpp"
#include "envoy/DataWatchdog.hpp"
#include "envoy/GatewayKey.hpp"
#include "envoy/GatewaySession.hpp"
#include "envoy/HttpClient.hpp"
#include "envoy/Settings.hpp"
#include "envoy/Source.hpp"
#include "envoy/SourceSelection.hpp"
#include "envoy/TokenKeeper.hpp"
#include "loop/EventLoop.hpp"
#include "model/Gateway.hpp"
#include "model/Production.hpp"
#include "model/Snapshot.hpp"

namespace envoy {

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
    // Authenticated POST of a JSON body (a setting: the production limit); like fetch() before
    // the gateway is known.
    void post_json(std::string path, std::string body, HttpClient::DoneCallback on_done);
    bool ready() const { return ready_; }
    // How often sources started after a probe: a change means the gateway was probed again.
    unsigned connections() const { return connections_; }
    const ClientStatus& status() const { return status_; }
    // The latest /production.json summary, if one was read.
    const std::optional<model::ProductionSummary>& production() const { return production_; }

private:
    // ClientProbe.cpp
    void probe();
    void probe_info(std::size_t candidate);
    void on_info(std::size_t candidate, HttpResponse&& response);
    void after_info();
    bool check_gateway_key(const std::string& presented);
    void key_changed(const std::string& pinned, const std::string& presented);
    void load_meters();
    void load_production(bool then_start_sources);
    std::chrono::milliseconds production_refresh() const;
    bool has_enabled_meter(model::MeasurementType type) const;
    void offer_sources();
    // ClientAuth.cpp
    bool configure_auth();
    void check_token();
    void use_token();
    void switch_token();
    void on_new_token();
    void token_rejected(const std::string& why);
    // Client.cpp
    void stop_data();
    void start_sources();
    void retry_later(const std::string& why, bool quiet = false);
    std::unique_ptr<Source> make_source(model::Source kind);
    void run_active_source();
    void schedule_candidate();
    void try_candidate();
    void on_source_snapshot(Source* source, const model::Snapshot& snapshot);
    void on_source_failure(Source* source, const SourceFailure& failure);
    void after_source_failure(model::Source kind, const SourceFailure& failure);
    void bury(std::unique_ptr<Source> source);
    void publish_status();
    // Answers a request made before the gateway is known: status 0 and an error, on the loop.
    void answer_not_connected(HttpClient::DoneCallback on_done);

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
    SourceSelection selection_;
    CounterMerge counters_;
    CounterRefresh counter_refresh_;
    DataWatchdog watchdog_;
    std::unique_ptr<Source> active_;
    std::unique_ptr<Source> candidate_;
    std::vector<std::unique_ptr<Source>> graveyard_;
    loop::Timer retry_timer_;
    loop::Timer candidate_timer_;
    loop::Timer production_timer_;
    loop::Timer graveyard_timer_;
    std::chrono::milliseconds probe_backoff_{2000};
    unsigned connections_ = 0;
    bool ready_ = false;
    bool stopping_ = false;
    bool waiting_for_token_ = false;   // data stopped until the TokenKeeper has a token
    bool firmware_mismatch_told_ = false;
    bool key_change_told_ = false;
    bool any_key_told_ = false;
    bool total_fault_told_ = false;
};

}  // namespace envoy
