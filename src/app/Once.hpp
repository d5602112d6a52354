// app: `--once`: connect, collect one complete snapshot, print it as the topic_meters JSON.
#pragma once

#include <ostream>

#include "config/Config.hpp"

namespace app {

// Returns the process exit code: 0 printed, 1 no data in time, 2 configuration problem.
int run_once(const config::Config& config, std::ostream& out);

}  // namespace app
