// mqtt: the publisher of the upstream driver's topics (meters, devices, inverters, events),
// of the battery topic and of an availability topic, on top of Connection (see Connection.hpp
// for the threading design: a private network thread, so a slow DNS lookup or broker never
// stalls the loop).
//
// Every method must be called on the event loop's thread; the loop must outlive the Publisher.
//
// Rules:
// - Meters: sent when the encoded payload changed, at most once per publish_interval. A
//   change inside the interval arms a timer; when it fires the latest payload is sent (the
//   latest state wins, intermediate ones are dropped).
// - Battery: paced like the meters (its power may come every second from the storage CT).
// - Devices, inverters, events: sent when the payload changed, or on every call when
//   `always` is true (fetch_*_publishing_type = 1).
// - Availability: "online" (retained) after every connect; "offline" (retained) on
//   shutdown() and, as the broker's last will, when the process dies or the link is lost.
// - Nothing is queued while disconnected. After a (re)connect the availability and the
//   latest payload of each topic are sent once.
// - publish_meters_invalid() (the gateway data source is lost): nothing further is sent on
//   the meters topic until valid data returns, the latest meters payload is forgotten so it
//   is not re-sent after a reconnect, and availability stays "online" (it describes this
//   driver's link to the broker). Consumers detect stale meters by their own timeout, as they
//   did with the upstream driver. A retained meters message (retain = true) stays on the
//   broker; it is replaced by the next valid payload.
// - publish_battery_invalid() (the battery data is lost): the same for the battery topic.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "loop/EventLoop.hpp"
#include "model/Battery.hpp"
#include "model/Devices.hpp"
#include "model/Production.hpp"
#include "model/Snapshot.hpp"
#include "mqtt/Connection.hpp"
#include "mqtt/Settings.hpp"

namespace mqtt {

class Publisher {
public:
    // Throws std::invalid_argument with validate()'s message when the settings are unusable,
    // std::runtime_error when libmosquitto rejects them. Does not connect yet: see start().
    Publisher(loop::EventLoop& loop, Settings settings);
    ~Publisher();  // shutdown()
    Publisher(const Publisher&) = delete;
    Publisher& operator=(const Publisher&) = delete;

    // Starts connecting in the background; reconnects by itself from then on.
    void start();
    // Clean shutdown: "offline" on the availability topic, DISCONNECT, network thread joined
    // (at most about 2 s plus a name lookup in progress). Idempotent.
    void shutdown();

    void publish_meters(const model::Snapshot& snapshot);
    void publish_meters_invalid();
    void publish_devices(const model::Devices& devices, bool always);
    void publish_inverters(const model::InverterReports& reports, std::int64_t reference_epoch, bool always);
    void publish_events(const model::Events& events, bool always);
    void publish_battery(const model::BatteryTotal& total, const model::Batteries& batteries);
    void publish_battery_invalid();

    bool connected() const { return connection_.connected(); }
    const Settings& settings() const { return settings_; }

private:
    struct Topic {
        std::string name;
        std::optional<std::string> latest;  // last payload handed in
        std::optional<std::string> sent;    // last payload the broker got
    };

    // A topic sent at most once per publish_interval: its input is kept per sample and
    // encoded (by encode, nullopt while there is no valid input) only when a message may go out.
    struct PacedTopic {
        Topic topic;
        loop::Timer timer;
        std::optional<loop::Clock::time_point> sent_at;
        std::function<std::optional<std::string>()> encode;
    };

    static Settings checked(Settings settings);
    void on_state(bool connected);
    void offer(Topic& topic, std::string payload, bool always);
    bool send(Topic& topic);
    // The paced topic's input changed: sends it now, or arms its timer for the end of the interval.
    void pace(PacedTopic& paced);
    // Encodes the latest input and sends it if it differs from what was sent (or always when
    // resend, after a reconnect).
    void send_paced(PacedTopic& paced, bool resend);
    // Forgets what was sent and what waits, so nothing is sent until valid input returns.
    static void forget(PacedTopic& paced);

    struct BatteryInput {
        model::BatteryTotal total;
        model::Batteries batteries;
        bool operator==(const BatteryInput&) const = default;
    };

    loop::EventLoop& loop_;
    Settings settings_;
    std::optional<model::Snapshot> meters_snapshot_;  // pv, grid, consumption of the latest valid snapshot
    std::optional<BatteryInput> battery_input_;      // latest valid battery values handed in
    PacedTopic meters_;
    PacedTopic battery_;
    Topic devices_;
    Topic inverters_;
    Topic events_;
    bool shut_down_ = false;
    Connection connection_;  // last: stopped and destroyed first
};

}  // namespace mqtt
