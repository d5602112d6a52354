// loop: the daemon's single event loop.
//
// One epoll instance watches every file descriptor of the process (libcurl's sockets,
// libdbus's connection, the MQTT client's socket, signals) and a heap of one-shot timers
// sets the epoll timeout, so the process sleeps until something happens: no polling.
// It is a leaf library so that envoy/, venus/ and mqtt/ can register their descriptors
// without knowing each other; app/ owns the instance and runs it. Not thread-safe: every
// call must come from the thread that runs the loop.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <queue>
#include <unordered_map>
#include <vector>

#include "util/UniqueFd.hpp"

namespace loop {

using Clock = std::chrono::steady_clock;

class EventLoop {
public:
    enum Events : std::uint32_t { Readable = 1, Writable = 2, Error = 4 };
    using IoCallback = std::function<void(std::uint32_t events)>;
    using TimerCallback = std::function<void()>;
    using TimerId = std::uint64_t;

    EventLoop();
    ~EventLoop();
    EventLoop(const EventLoop&) = delete;
    EventLoop& operator=(const EventLoop&) = delete;

    // Starts or changes watching fd for the given events (Readable|Writable); one callback per fd.
    void watch(int fd, std::uint32_t events, IoCallback callback);
    // Stops watching fd; safe to call from inside its own callback.
    void unwatch(int fd);
    bool watching(int fd) const { return watches_.count(fd) != 0; }

    // Runs callback once after delay; returns an id for cancel().
    TimerId after(Clock::duration delay, TimerCallback callback);
    // Cancels a pending timer; unknown or fired ids are ignored.
    void cancel(TimerId id);

    // Calls callback (on the loop) when signo arrives; the signal is blocked for normal delivery.
    void on_signal(int signo, std::function<void()> callback);

    // Runs until stop() is called.
    void run();
    // Runs one iteration, waiting at most max_wait for an event.
    void run_once(Clock::duration max_wait);
    void stop() { stopped_ = true; }
    bool stopped() const { return stopped_; }

private:
    struct Watch {
        IoCallback callback;
        std::uint32_t events = 0;
        std::uint64_t generation = 0;
    };
    struct Timer {
        Clock::time_point due;
        TimerId id;
        bool operator>(const Timer& other) const { return due > other.due || (due == other.due && id > other.id); }
    };

    int wait_timeout_ms(Clock::duration max_wait) const;
    void fire_due_timers();
    void handle_signals();

    util::UniqueFd epoll_fd_;
    util::UniqueFd signal_fd_;
    bool stopped_ = false;
    std::uint64_t next_generation_ = 1;
    std::unordered_map<int, Watch> watches_;
    std::priority_queue<Timer, std::vector<Timer>, std::greater<>> timer_queue_;
    std::unordered_map<TimerId, TimerCallback> timers_;
    TimerId next_timer_ = 1;
    std::unordered_map<int, std::function<void()>> signal_handlers_;
};

// A timer that cancels itself when destroyed or re-armed: the usual way modules keep one.
class Timer {
public:
    explicit Timer(EventLoop& loop) : loop_(&loop) {}
    ~Timer() { cancel(); }
    Timer(const Timer&) = delete;
    Timer& operator=(const Timer&) = delete;

    void start(Clock::duration delay, EventLoop::TimerCallback callback);
    void cancel();
    bool pending() const { return id_ != 0; }

private:
    EventLoop* loop_;
    EventLoop::TimerId id_ = 0;
};

}  // namespace loop
