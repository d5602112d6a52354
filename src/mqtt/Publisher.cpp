// mqtt: change detection, meters rate limiting and re-publishing after a reconnect.
#include "mqtt/Publisher.hpp"

#include <stdexcept>

#include "mqtt/Encoders.hpp"

namespace mqtt {

Settings Publisher::checked(Settings settings) {
    if (const auto problem = validate(settings)) throw std::invalid_argument(*problem);
    return settings;
}

Publisher::Publisher(loop::EventLoop& loop, Settings settings)
    : loop_(loop),
      settings_(checked(std::move(settings))),
      meters_{settings_.topic_meters, {}, {}},
      devices_{settings_.topic_devices, {}, {}},
      inverters_{settings_.topic_inverters, {}, {}},
      events_{settings_.topic_events, {}, {}},
      meters_timer_(loop),
      connection_(loop, settings_, [this](bool connected) { on_state(connected); }) {}

Publisher::~Publisher() { shutdown(); }

void Publisher::start() {
    if (!shut_down_) connection_.start();
}

void Publisher::shutdown() {
    if (shut_down_) return;
    shut_down_ = true;
    meters_timer_.cancel();
    if (!settings_.topic_availability.empty()) connection_.publish(settings_.topic_availability, "offline", true);
    connection_.stop();
}

void Publisher::publish_meters(const model::Snapshot& snapshot) {
    // Only the snapshot is kept per sample; the JSON is encoded when a message may go out,
    // at most once per publish_interval, however fast samples arrive.
    if (meters_snapshot_ && *meters_snapshot_ == snapshot) return;
    meters_snapshot_ = snapshot;
    if (meters_timer_.pending()) return;  // the timer sends the latest
    auto interval = std::chrono::seconds(settings_.publish_interval);
    auto now = loop::Clock::now();
    if (!meters_sent_at_ || now - *meters_sent_at_ >= interval) {
        send_meters(false);
        return;
    }
    meters_timer_.start(*meters_sent_at_ + interval - now, [this] { send_meters(false); });
}

void Publisher::publish_meters_invalid() {
    meters_timer_.cancel();
    meters_snapshot_.reset();
    meters_.latest.reset();
    meters_.sent.reset();
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

void Publisher::send_meters(bool resend) {
    if (!meters_snapshot_) return;
    meters_.latest = encode_meters(*meters_snapshot_);
    if (!resend && meters_.latest == meters_.sent) return;  // rounds to what the broker has
    if (send(meters_)) meters_sent_at_ = loop::Clock::now();
}

void Publisher::on_state(bool connected) {
    if (!connected || shut_down_) return;
    if (!settings_.topic_availability.empty()) connection_.publish(settings_.topic_availability, "online", true);
    meters_timer_.cancel();
    send_meters(true);
    send(devices_);
    send(inverters_);
    send(events_);
}

}  // namespace mqtt
