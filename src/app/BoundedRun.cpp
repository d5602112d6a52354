// app: run_bounded.
#include "app/BoundedRun.hpp"

#include <csignal>

namespace app {

bool run_bounded(loop::EventLoop& loop, std::chrono::milliseconds limit) {
    bool timed_out = false;
    loop.after(limit, [&] {
        timed_out = true;
        loop.stop();
    });
    loop.on_signal(SIGINT, [&] { loop.stop(); });
    loop.on_signal(SIGTERM, [&] { loop.stop(); });
    loop.run();
    return timed_out;
}

}  // namespace app
