// loop/Deadline: a watchdog timer whose extension costs no timer operation (see Deadline.hpp).
#include "loop/Deadline.hpp"

namespace loop {

Deadline::Deadline(EventLoop& loop, std::function<void()> on_expired) : timer_(loop), on_expired_(std::move(on_expired)) {}

void Deadline::extend(Clock::duration limit) {
    const auto now = Clock::now();
    due_ = now + limit;
    armed_ = true;
    if (!timer_.pending() || due_ < timer_at_) arm(due_, now);
}

void Deadline::cancel() {
    armed_ = false;
    timer_.cancel();
}

void Deadline::arm(Clock::time_point at, Clock::time_point now) {
    timer_at_ = at;
    timer_.start(at - now, [this]() { check(); });
}

void Deadline::check() {
    const auto now = Clock::now();
    if (now < due_) {
        arm(due_, now);
        return;
    }
    armed_ = false;
    on_expired_();
}

}  // namespace loop
