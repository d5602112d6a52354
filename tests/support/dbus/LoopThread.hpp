// tests/support/dbus: runs a loop::EventLoop on its own thread so a test can talk to the
// services with a blocking client. Everything touching the loop's objects goes through run(),
// which executes on the loop thread and returns (or rethrows) the result.
#pragma once

#include <sys/eventfd.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <deque>
#include <functional>
#include <future>
#include <mutex>
#include <stdexcept>
#include <thread>

#include "loop/EventLoop.hpp"

namespace dbustest {

class LoopThread {
public:
    LoopThread() : wake_fd_(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)) {
        loop_.watch(wake_fd_, loop::EventLoop::Readable, [this](std::uint32_t) { drain(); });
        thread_ = std::thread([this] {
            while (!quit_) loop_.run_once(std::chrono::seconds(1));
        });
    }
    ~LoopThread() {
        run([this] { quit_ = true; });
        thread_.join();
        loop_.unwatch(wake_fd_);
        ::close(wake_fd_);
    }

    loop::EventLoop& loop() { return loop_; }

    template <typename F>
    auto run(F function) -> decltype(function()) {
        using Result = decltype(function());
        auto task = std::make_shared<std::packaged_task<Result()>>(std::move(function));
        auto future = task->get_future();
        {
            std::lock_guard lock(mutex_);
            queue_.emplace_back([task] { (*task)(); });
        }
        std::uint64_t one = 1;
        if (::write(wake_fd_, &one, sizeof one) != sizeof one) throw std::runtime_error("eventfd write failed");
        if (future.wait_for(std::chrono::seconds(10)) != std::future_status::ready) {
            throw std::runtime_error("the loop thread did not run the task within 10 s");
        }
        return future.get();
    }

private:
    void drain() {
        std::uint64_t count = 0;
        while (::read(wake_fd_, &count, sizeof count) == sizeof count) {
        }
        std::deque<std::function<void()>> tasks;
        {
            std::lock_guard lock(mutex_);
            tasks.swap(queue_);
        }
        for (auto& task : tasks) task();
    }

    loop::EventLoop loop_;
    int wake_fd_;
    std::atomic<bool> quit_{false};
    std::mutex mutex_;
    std::deque<std::function<void()>> queue_;
    std::thread thread_;
};

}  // namespace dbustest
