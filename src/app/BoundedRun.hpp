// app: running the event loop for a one-shot command (--once, --capture):
// until the command stops it, SIGINT or SIGTERM arrive, or a time limit passes.
#pragma once

#include <chrono>

#include "loop/EventLoop.hpp"

namespace app {

// Runs loop until one of the above; true when the time limit ended it.
bool run_bounded(loop::EventLoop& loop, std::chrono::milliseconds limit);

}  // namespace app
