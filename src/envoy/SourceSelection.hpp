// envoy: which data source runs, as a state machine of explicit time points (no clock, no
// I/O, no log). Sources rank stream > readings > production.json > inverters (the order of
// model::Source); a source is possible when the gateway offers it (SourceOffer). A source that
// fails is blocked for the retry interval; the active one falls back to the best possible,
// unblocked source from its own rank down; a better one is tried in the background as the
// candidate and is promoted once it delivers. The inverters' figure is read from
// /api/v1/production, or from production.json where that is the truth (metered gateways) or
// /api/v1/production stopped working. Client runs the sources this decides.
#pragma once

#include <array>
#include <chrono>
#include <optional>

#include "model/Snapshot.hpp"

namespace envoy {

// What the gateway offers, as the probe read it (/info, /ivp/meters, /production.json).
struct SourceOffer {
    bool meters_enabled = false;                // /ivp/meters lists an enabled production or consumption CT
    bool production_json_meters = false;        // production.json has an eim entry in use
    bool inverters_in_production_json = false;  // production.json has the inverters' power
    bool metering_board = false;                // /info says the gateway is metered
};

enum class InvertersEndpoint { ApiV1Production, ProductionJson };

// What follows the failure of the active source.
struct Fallback {
    enum class Action {
        Reprobe,                      // the gateway stopped answering, or no source is left
        InvertersFromProductionJson,  // the inverters source again, now on production.json
        SwitchTo,                     // `next` is the active source now
    };
    Action action = Action::Reprobe;
    model::Source next = model::Source::None;
    bool none_left = false;  // Reprobe because every possible source is blocked
};

// What the look for a better source found.
enum class BetterSource {
    NotNow,     // no source runs, or a candidate is under way: nothing to do
    LookLater,  // a better one exists but is blocked: look again after the retry interval
    Try,        // candidate() is the one to start in the background
};

class SourceSelection {
public:
    using TimePoint = std::chrono::steady_clock::time_point;

    explicit SourceSelection(std::chrono::milliseconds retry_after) : retry_after_(retry_after) {}

    void set_offer(const SourceOffer& offer) { offer_ = offer; }
    const SourceOffer& offer() const { return offer_; }
    bool possible(model::Source kind) const;
    // The best possible source of rank `from` or worse that is not blocked at `now`.
    std::optional<model::Source> best_available(model::Source from, TimePoint now) const;

    // Sources start over (after a probe): nothing is blocked; the best one becomes active
    // (readings first with prefer_counters). nullopt: the gateway offers none.
    std::optional<model::Source> begin(bool prefer_counters, TimePoint now);
    // No source runs (data stopped).
    void stop();

    model::Source active() const { return active_; }
    std::optional<model::Source> candidate() const { return candidate_; }
    // Where the active inverters source reads the inverters' figure.
    InvertersEndpoint inverters_endpoint() const { return inverters_endpoint_; }

    // A source of this kind failed: it is not tried again until now + the retry interval.
    void block(model::Source kind, TimePoint now);
    // The active source failed (and was blocked): what runs next.
    Fallback fall_back(model::Source failed, bool unreachable, TimePoint now);

    // Whether a source better than the active one exists on this gateway at all.
    bool better_possible() const;
    BetterSource look_for_better(TimePoint now);
    // The candidate delivered: it is the active source now. Returns the one it replaces.
    model::Source promote();
    // The candidate failed (and was blocked), or was abandoned.
    void drop_candidate() { candidate_.reset(); }

private:
    static constexpr int kSourceCount = 5;

    void activate(model::Source kind);

    std::chrono::milliseconds retry_after_;
    SourceOffer offer_;
    std::array<TimePoint, kSourceCount> blocked_until_{};
    model::Source active_ = model::Source::None;
    std::optional<model::Source> candidate_;
    InvertersEndpoint inverters_endpoint_ = InvertersEndpoint::ApiV1Production;
    bool api_v1_unusable_ = false;  // /api/v1/production failed where production.json has the figure
};

}  // namespace envoy
