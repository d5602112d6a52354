// loop: epoll and timer-heap implementation of EventLoop.
#include "loop/EventLoop.hpp"

#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <stdexcept>
#include <string>

namespace loop {
namespace {

std::uint32_t to_epoll(std::uint32_t events) {
    std::uint32_t mask = 0;
    if (events & EventLoop::Readable) mask |= EPOLLIN;
    if (events & EventLoop::Writable) mask |= EPOLLOUT;
    return mask;
}

std::uint32_t from_epoll(std::uint32_t mask) {
    std::uint32_t events = 0;
    if (mask & (EPOLLIN | EPOLLPRI | EPOLLRDHUP)) events |= EventLoop::Readable;
    if (mask & EPOLLOUT) events |= EventLoop::Writable;
    if (mask & (EPOLLERR | EPOLLHUP)) events |= EventLoop::Error;
    return events;
}

[[noreturn]] void fail(const char* what) {
    throw std::runtime_error(std::string(what) + ": " + std::strerror(errno));
}

}  // namespace

EventLoop::EventLoop() {
    epoll_fd_.reset(::epoll_create1(EPOLL_CLOEXEC));
    if (!epoll_fd_.valid()) fail("epoll_create1");
}

EventLoop::~EventLoop() = default;

void EventLoop::watch(int fd, std::uint32_t events, IoCallback callback) {
    auto found = watches_.find(fd);
    epoll_event ev{};
    ev.events = to_epoll(events);
    ev.data.fd = fd;
    if (found == watches_.end()) {
        if (::epoll_ctl(epoll_fd_.get(), EPOLL_CTL_ADD, fd, &ev) < 0) fail("epoll_ctl(ADD)");
        watches_.emplace(fd, Watch{std::move(callback), events, next_generation_++});
        return;
    }
    // A descriptor closed by its owner leaves epoll by itself; the same number may come back
    // for a new socket before the owner said so, so re-add it when the kernel forgot it.
    if (::epoll_ctl(epoll_fd_.get(), EPOLL_CTL_MOD, fd, &ev) < 0) {
        if (errno != ENOENT || ::epoll_ctl(epoll_fd_.get(), EPOLL_CTL_ADD, fd, &ev) < 0) fail("epoll_ctl(MOD)");
    }
    found->second.callback = std::move(callback);
    found->second.events = events;
    found->second.generation = next_generation_++;
}

void EventLoop::unwatch(int fd) {
    if (watches_.erase(fd) == 0) return;
    // The descriptor may already be closed by its owner (libcurl does so): ignore errors.
    ::epoll_ctl(epoll_fd_.get(), EPOLL_CTL_DEL, fd, nullptr);
}

EventLoop::TimerId EventLoop::after(Clock::duration delay, TimerCallback callback) {
    TimerId id = next_timer_++;
    timers_.emplace(id, std::move(callback));
    timer_queue_.push(Timer{Clock::now() + delay, id});
    return id;
}

void EventLoop::cancel(TimerId id) { timers_.erase(id); }

void EventLoop::on_signal(int signo, std::function<void()> callback) {
    sigset_t mask;
    sigemptyset(&mask);
    for (const auto& [known, handler] : signal_handlers_) sigaddset(&mask, known);
    sigaddset(&mask, signo);
    if (::sigprocmask(SIG_BLOCK, &mask, nullptr) < 0) fail("sigprocmask");
    signal_handlers_[signo] = std::move(callback);
    if (signal_fd_.valid()) {
        if (::signalfd(signal_fd_.get(), &mask, SFD_NONBLOCK | SFD_CLOEXEC) < 0) fail("signalfd");
        return;
    }
    signal_fd_.reset(::signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC));
    if (!signal_fd_.valid()) fail("signalfd");
    watch(signal_fd_.get(), Readable, [this](std::uint32_t) { handle_signals(); });
}

void EventLoop::handle_signals() {
    signalfd_siginfo info{};
    while (::read(signal_fd_.get(), &info, sizeof info) == static_cast<ssize_t>(sizeof info)) {
        auto found = signal_handlers_.find(static_cast<int>(info.ssi_signo));
        if (found != signal_handlers_.end()) found->second();
    }
}

int EventLoop::wait_timeout_ms(Clock::duration max_wait) const {
    auto wait = max_wait;
    if (!timer_queue_.empty()) {
        auto until = timer_queue_.top().due - Clock::now();
        if (until < wait) wait = until;
    }
    if (wait <= Clock::duration::zero()) return 0;
    // Round up so a timer is never woken a fraction of a millisecond early.
    return static_cast<int>(std::chrono::ceil<std::chrono::milliseconds>(wait).count());
}

void EventLoop::fire_due_timers() {
    auto now = Clock::now();
    while (!timer_queue_.empty() && timer_queue_.top().due <= now) {
        TimerId id = timer_queue_.top().id;
        timer_queue_.pop();
        auto found = timers_.find(id);
        if (found == timers_.end()) continue;  // cancelled
        TimerCallback callback = std::move(found->second);
        timers_.erase(found);
        callback();
    }
    // Drop cancelled entries at the head so they do not shorten the next wait.
    while (!timer_queue_.empty() && timers_.count(timer_queue_.top().id) == 0) timer_queue_.pop();
}

void EventLoop::run_once(Clock::duration max_wait) {
    constexpr int kMaxEvents = 32;
    epoll_event events[kMaxEvents];
    int count = ::epoll_wait(epoll_fd_.get(), events, kMaxEvents, wait_timeout_ms(max_wait));
    if (count < 0 && errno != EINTR) fail("epoll_wait");
    // Remember each watch's generation so a callback that unwatches (or replaces) another
    // descriptor in this batch does not get that descriptor's stale event delivered.
    std::uint64_t generations[kMaxEvents];
    for (int i = 0; i < count; ++i) {
        auto found = watches_.find(events[i].data.fd);
        generations[i] = found == watches_.end() ? 0 : found->second.generation;
    }
    for (int i = 0; i < count; ++i) {
        auto found = watches_.find(events[i].data.fd);
        if (found == watches_.end() || found->second.generation != generations[i]) continue;
        IoCallback callback = found->second.callback;  // may unwatch itself while running
        callback(from_epoll(events[i].events));
    }
    fire_due_timers();
}

void EventLoop::run() {
    stopped_ = false;
    while (!stopped_) run_once(std::chrono::hours(1));
}

void Timer::start(Clock::duration delay, EventLoop::TimerCallback callback) {
    cancel();
    id_ = loop_->after(delay, [this, callback = std::move(callback)]() {
        id_ = 0;
        callback();
    });
}

void Timer::cancel() {
    if (id_ != 0) loop_->cancel(id_);
    id_ = 0;
}

}  // namespace loop
