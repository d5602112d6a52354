// envoy-sim: the time-varying meter model. It starts from a capture's /ivp/meters and
// /ivp/meters/readings and produces stream events (/stream/meter) and live readings with
// lifetime energy counters that grow with the simulated power. A production limit in force
// (LimitModel) caps the production CT and raises the net consumption by what production lost,
// in every answer and in the counters. An enabled storage CT follows the BatteryModel's power
// (split over its phases as in the capture, without noise), so its counters move with the
// modelled battery's energy. Thread-safe.
#pragma once

#include "BatteryModel.hpp"
#include "LimitModel.hpp"

#include <nlohmann/json.hpp>

#include <chrono>
#include <mutex>
#include <string>
#include <vector>

namespace sim {

struct PhaseSample {
    double p = 0, q = 0, s = 0, v = 0, i = 0, pf = 0, f = 0;
};

class MeterModel {
public:
    // meters: the /ivp/meters array; readings: the /ivp/meters/readings array (either may be null).
    // animated false: every sample equals the capture's values (for tests comparing with them).
    // limit (may be null, must outlive the model): the production limit to apply.
    // battery (may be null, must outlive the model): the battery the storage CT measures.
    MeterModel(const nlohmann::ordered_json& meters, const nlohmann::ordered_json& readings, bool animated = true,
               const LimitModel* limit = nullptr, const BatteryModel* battery = nullptr);

    // The production and consumption at the current time before any limit (noise-free);
    // has_production false when no enabled production CT measures it.
    struct Natural {
        bool has_production = false;
        double production_w = 0;
        double consumption_w = 0;  // 0 when no CT measures consumption
    };
    Natural natural() const;
    // Brings the energy counters up to now (before the limit changes, so that the time before
    // the change is counted with the limit of that time).
    void settle_energy();
    // The model's clock reading of steady time t (what LimitModel is asked about).
    std::chrono::steady_clock::time_point clock_at(double t) const;

    // True when at least one enabled meter has readings (the gateway can stream).
    bool can_stream() const;
    // True when the capture has readings to animate.
    bool has_readings() const { return !meters_.empty(); }

    // One /stream/meter event at the current time: keys production / net-consumption /
    // total-consumption (those the enabled meters give or imply), each with ph-a, ph-b, ph-c.
    nlohmann::ordered_json stream_event();
    // The /ivp/meters/readings answer at the current time (capture format, timestamp now).
    nlohmann::ordered_json readings();

    // The total production power of a stream event (sum of its production phases, 0 if none).
    static double production_power(const nlohmann::ordered_json& event);

private:
    struct Channel {
        double p = 0, q = 0, s = 0, v = 0, f = 0;  // capture values (bases)
        double dlvd = 0, rcvd = 0, apparent = 0;   // lifetime counters, Wh / VAh
        double share = 0;                          // storage CT: this phase's part of the battery power
    };
    struct Meter {
        std::string type;       // measurementType
        bool enabled = false;
        int phase_count = 3;
        nlohmann::ordered_json original;
        std::vector<Channel> channels;
        double dlvd = 0, rcvd = 0, apparent = 0;
    };

    using Frame = std::vector<std::vector<PhaseSample>>;  // [meter][channel]

    double now_s() const;
    PhaseSample sample(std::size_t meter, std::size_t channel, double t, bool noisy) const;
    // Every meter's channels at time t, with the production limit applied when limited.
    Frame frame(double t, bool noisy, bool limited = true) const;
    void apply_limit(Frame& frame, double t) const;
    Natural natural_of(const Frame& frame) const;
    void advance_energy(double t);
    const Meter* enabled_meter(const std::string& type, std::size_t* index) const;

    std::chrono::steady_clock::time_point start_;
    mutable std::mutex mutex_;
    std::vector<Meter> meters_;
    double energy_t_ = 0;
    bool animated_ = true;
    const LimitModel* limit_ = nullptr;
    const BatteryModel* battery_ = nullptr;
};

}  // namespace sim
