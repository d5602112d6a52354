// mqtt: change detection, pacing of the meters and battery topics and re-publishing after a
// reconnect.
#include "mqtt/Publisher.hpp"

#include <stdexcept>

#include "mqtt/BatteryEncoder.hpp"
#include "mqtt/Encoders.hpp"

namespace mqtt {

Settings Publisher::checked(Settings settings) {
    if (const auto problem = validate(settings)) throw std::invalid_argument(*problem);
    return settings;
}

Publisher::Publisher(loop::EventLoop& loop, Settings settings)
    : loop_(loop),
      settings_(checked(std::move(settings))),
      meters_{{settings_.topic_meters, {}, {}},
              loop::Timer(loop),
              {},
              [this]() -> std::optional<std::string> {
                  if (!meters_snapshot_) return std::nullopt;
                  return encode_meters(*meters_snapshot_);
              }},
      battery_{{settings_.topic_battery, {}, {}},
               loop::Timer(loop),
               {},
               [this]() -> std::optional<std::string> {
                   if (!battery_input_) return std::nullopt;
                   return encode_battery(battery_input_->total, battery_input_->batteries);
               }},
      devices_{settings_.topic_devices, {}, {}},
      inverters_{settings_.topic_inverters, {}, {}},
      events_{settings_.topic_events, {}, {}},
      connection_(loop, settings_, [this](bool connected) { on_state(connected); }) {}

Publisher::~Publisher() { shutdown(); }

void Publisher::start() {
    if (!shut_down_) connection_.start();
}

void Publisher::shutdown() {
    if (shut_down_) return;
    shut_down_ = true;
    meters_.timer.cancel();
    battery_.timer.cancel();
    if (!settings_.topic_availability.empty()) connection_.publish(settings_.topic_availability, "offline", true);
    connection_.stop();
}

void Publisher::publish_meters(const model::Snapshot& snapshot) {
    // Only the meters the topic carries are kept per sample (not the other CTs, which change
    // with every sample when there are batteries, nor the source): a change elsewhere neither
    // arms the timer nor costs an encoding. The JSON is encoded when a message may go out, at
    // most once per publish_interval, however fast samples arrive.
    if (meters_snapshot_ && meters_snapshot_->pv == snapshot.pv && meters_snapshot_->grid == snapshot.grid &&
        meters_snapshot_->consumption == snapshot.consumption) {
        return;
    }
    if (!meters_snapshot_) meters_snapshot_.emplace();
    meters_snapshot_->pv = snapshot.pv;
    meters_snapshot_->grid = snapshot.grid;
    meters_snapshot_->consumption = snapshot.consumption;
    pace(meters_);
}

void Publisher::publish_meters_invalid() {
    meters_snapshot_.reset();
    forget(meters_);
}

void Publisher::publish_battery(const model::BatteryTotal& total, const model::Batteries& batteries) {
    if (!battery_input_) {
        battery_input_ = BatteryInput{total, batteries};
    } else {
        const bool same_batteries = battery_input_->batteries == batteries;
        if (same_batteries && battery_input_->total == total) return;
        battery_input_->total = total;
        if (!same_batteries) battery_input_->batteries = batteries;  // a new round, not every sample
    }
    pace(battery_);
}

void Publisher::publish_battery_invalid() {
    battery_input_.reset();
    forget(battery_);
}

void Publisher::publish_devices(const model::Devices& devices, bool always) {
    offer(devices_, encode_devices(devices), always);
}

void Publisher::publish_inverters(const model::InverterReports& reports, std::int64_t reference_epoch, bool always) {
    offer(inverters_, encode_inverters(reports, reference_epoch), always);
}

void Publisher::publish_events(const model::Events& events, bool always) {
    offer(events_, encode_events(events), always);
}

void Publisher::offer(Topic& topic, std::string payload, bool always) {
    topic.latest = std::move(payload);
    if (!always && topic.latest == topic.sent) return;
    send(topic);
}

bool Publisher::send(Topic& topic) {
    if (shut_down_ || !topic.latest) return false;
    if (!connection_.publish(topic.name, *topic.latest, settings_.retain)) return false;
    topic.sent = topic.latest;
    return true;
}

void Publisher::pace(PacedTopic& paced) {
    if (paced.timer.pending()) return;  // the timer sends the latest
    auto interval = std::chrono::seconds(settings_.publish_interval);
    auto now = loop::Clock::now();
    if (!paced.sent_at || now - *paced.sent_at >= interval) {
        send_paced(paced, false);
        return;
    }
    paced.timer.start(*paced.sent_at + interval - now, [this, &paced] { send_paced(paced, false); });
}

void Publisher::send_paced(PacedTopic& paced, bool resend) {
    auto payload = paced.encode();
    if (!payload) return;
    paced.topic.latest = std::move(payload);
    if (!resend && paced.topic.latest == paced.topic.sent) return;  // rounds to what the broker has
    if (send(paced.topic)) paced.sent_at = loop::Clock::now();
}

void Publisher::forget(PacedTopic& paced) {
    paced.timer.cancel();
    paced.topic.latest.reset();
    paced.topic.sent.reset();
}

void Publisher::on_state(bool connected) {
    if (!connected || shut_down_) return;
    if (!settings_.topic_availability.empty()) connection_.publish(settings_.topic_availability, "online", true);
    meters_.timer.cancel();
    battery_.timer.cancel();
    send_paced(meters_, true);
    send_paced(battery_, true);
    send(devices_);
    send(inverters_);
    send(events_);
}

}  // namespace mqtt
