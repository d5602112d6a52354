// mqtt: the defaults of the MQTT contract (the upstream driver's port, topics and publish
// interval, plus our battery topic), which mqtt::Settings and the configuration's key table
// (config/KeyTable.cpp) both use, written once here so the two cannot disagree. Header-only, no dependencies, so config
// reads it without linking mqtt and mqtt knows nothing of config.
#pragma once

#include <string_view>

namespace mqtt::defaults {

inline constexpr int kMqttBrokerPort = 1883;
inline constexpr int kMqttPublishInterval = 5;  // s
inline constexpr std::string_view kMqttTopicMeters = "enphase/envoy-s/meters";
inline constexpr std::string_view kMqttTopicInverters = "enphase/envoy-s/inverters";
inline constexpr std::string_view kMqttTopicDevices = "enphase/envoy-s/devices";
inline constexpr std::string_view kMqttTopicEvents = "enphase/envoy-s/events";
inline constexpr std::string_view kMqttTopicBattery = "enphase/envoy-s/battery";
inline constexpr std::string_view kMqttTopicAvailability = "enphase/envoy-s/status";

}  // namespace mqtt::defaults
