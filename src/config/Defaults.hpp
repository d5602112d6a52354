// config: the defaults that a module's settings struct shares with the key table
// (KeyTable.cpp), written once here so the two cannot disagree. Every other default is written
// only in the key table. Header-only, no dependencies: mqtt/Settings.hpp includes it.
#pragma once

#include <string_view>

namespace config::defaults {

inline constexpr int kMqttBrokerPort = 1883;
inline constexpr int kMqttPublishInterval = 5;  // s
inline constexpr std::string_view kMqttTopicMeters = "enphase/envoy-s/meters";
inline constexpr std::string_view kMqttTopicInverters = "enphase/envoy-s/inverters";
inline constexpr std::string_view kMqttTopicDevices = "enphase/envoy-s/devices";
inline constexpr std::string_view kMqttTopicEvents = "enphase/envoy-s/events";
inline constexpr std::string_view kMqttTopicAvailability = "enphase/envoy-s/status";

}  // namespace config::defaults
