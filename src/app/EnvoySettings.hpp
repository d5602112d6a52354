// app: translation of config.ini's [ENVOY] values into the gateway client's settings.
#pragma once

#include "config/Config.hpp"
#include "envoy/Settings.hpp"

namespace app {

envoy::Settings envoy_settings(const config::Config& config);

}  // namespace app
