// busitem/Bus: libdbus-1 connection glue to loop::EventLoop (watches, timeouts, dispatch,
// asynchronous calls).
#include "busitem/Bus.hpp"

#include <algorithm>
#include <cstdlib>

#include "log/Log.hpp"

namespace busitem {

namespace {

void on_reply(DBusPendingCall* pending, void* data) {
    // Move the callback out first: it may drop the PendingCall that owns `data`.
    Bus::ReplyCallback callback = std::move(*static_cast<Bus::ReplyCallback*>(data));
    DBusMessage* message = dbus_pending_call_steal_reply(pending);
    callback(Reply{message});
    if (message != nullptr) dbus_message_unref(message);
}

void free_callback(void* data) { delete static_cast<Bus::ReplyCallback*>(data); }


}  // namespace

DBusHandlerResult Bus::on_disconnected(DBusConnection*, DBusMessage* message, void* data) {
    if (dbus_message_is_signal(message, DBUS_INTERFACE_LOCAL, "Disconnected")) {
        LOG_ERROR("D-Bus: lost the connection to the bus");
        auto* bus = static_cast<Bus*>(data);
        // Not from inside libdbus's dispatch: the handler may well destroy the bus.
        if (bus->on_lost_) bus->lost_timer_.start(std::chrono::milliseconds(0), [bus] { bus->on_lost_(); });
    }
    return DBUS_HANDLER_RESULT_NOT_YET_HANDLED;
}

std::string Reply::error_name() const {
    if (message == nullptr) return DBUS_ERROR_DISCONNECTED;
    const char* name = dbus_message_get_error_name(message);
    return name != nullptr ? name : "";
}

PendingCall& PendingCall::operator=(PendingCall&& other) noexcept {
    if (this != &other) {
        reset();
        pending_ = other.pending_;
        loop_ = other.loop_;
        timer_ = other.timer_;
        other.pending_ = nullptr;
        other.timer_ = 0;
    }
    return *this;
}

void PendingCall::reset() {
    if (pending_ != nullptr) {
        dbus_pending_call_cancel(pending_);
        dbus_pending_call_unref(pending_);
        pending_ = nullptr;
    }
    if (timer_ != 0 && loop_ != nullptr) loop_->cancel(timer_);
    timer_ = 0;
}

Bus::Bus(loop::EventLoop& loop) : loop_(loop), dispatch_timer_(loop), lost_timer_(loop) {
    // The session address is read here every time (libdbus caches it per process otherwise).
    const char* session_address = std::getenv("DBUS_SESSION_BUS_ADDRESS");
    const bool session = session_address != nullptr;
    DBusError error;
    dbus_error_init(&error);
    if (session) {
        connection_ = dbus_connection_open_private(session_address, &error);
        if (connection_ != nullptr && !dbus_bus_register(connection_, &error)) {
            dbus_connection_close(connection_);
            dbus_connection_unref(connection_);
            connection_ = nullptr;
        }
    } else {
        connection_ = dbus_bus_get_private(DBUS_BUS_SYSTEM, &error);
    }
    if (connection_ == nullptr) {
        std::string text = std::string("cannot connect to the D-Bus ") + (session ? "session" : "system") +
                           " bus: " + (error.message != nullptr ? error.message : "unknown error");
        dbus_error_free(&error);
        throw BusError(text);
    }
    dbus_connection_set_exit_on_disconnect(connection_, FALSE);
    dbus_connection_add_filter(connection_, on_disconnected, this, nullptr);
    dbus_connection_add_filter(connection_, on_signal, this, nullptr);
    dbus_connection_set_watch_functions(connection_, add_watch, remove_watch, toggle_watch, this, nullptr);
    dbus_connection_set_timeout_functions(connection_, add_timeout, remove_timeout, toggle_timeout, this, nullptr);
    dbus_connection_set_dispatch_status_function(connection_, dispatch_status, this, nullptr);
    dbus_connection_set_wakeup_main_function(connection_, wakeup, this, nullptr);
    schedule_dispatch();
}

Bus::~Bus() {
    dispatch_timer_.cancel();
    dbus_connection_close(connection_);
    dbus_connection_set_dispatch_status_function(connection_, nullptr, nullptr, nullptr);
    dbus_connection_set_wakeup_main_function(connection_, nullptr, nullptr, nullptr);
    dbus_connection_set_watch_functions(connection_, nullptr, nullptr, nullptr, nullptr, nullptr);
    dbus_connection_set_timeout_functions(connection_, nullptr, nullptr, nullptr, nullptr, nullptr);
    dbus_connection_remove_filter(connection_, on_disconnected, this);
    dbus_connection_remove_filter(connection_, on_signal, this);
    for (const auto& [fd, list] : watches_) {
        if (loop_.watching(fd)) loop_.unwatch(fd);
    }
    watches_.clear();
    timeouts_.clear();
    dbus_connection_unref(connection_);
}

SignalWatch& SignalWatch::operator=(SignalWatch&& other) noexcept {
    if (this != &other) {
        reset();
        bus_ = other.bus_;
        id_ = other.id_;
        other.bus_ = nullptr;
    }
    return *this;
}

void SignalWatch::reset() {
    if (bus_ != nullptr) bus_->unwatch(id_);
    bus_ = nullptr;
}

SignalWatch Bus::watch_signals(const std::string& rule, SignalHandler handler) {
    dbus_bus_add_match(connection_, rule.c_str(), nullptr);  // no error argument: not waited for
    const std::uint64_t id = next_watch_++;
    watches_by_id_.emplace(id, Watch{rule, std::move(handler)});
    return SignalWatch(this, id);
}

void Bus::unwatch(std::uint64_t id) {
    auto it = watches_by_id_.find(id);
    if (it == watches_by_id_.end()) return;
    dbus_bus_remove_match(connection_, it->second.rule.c_str(), nullptr);
    watches_by_id_.erase(it);
}

DBusHandlerResult Bus::on_signal(DBusConnection*, DBusMessage* message, void* data) {
    if (dbus_message_get_type(message) != DBUS_MESSAGE_TYPE_SIGNAL) return DBUS_HANDLER_RESULT_NOT_YET_HANDLED;
    auto* bus = static_cast<Bus*>(data);
    // Handlers may add or remove watches: run those present now, by id.
    std::vector<std::uint64_t> ids;
    for (const auto& [id, watch] : bus->watches_by_id_) ids.push_back(id);
    for (auto id : ids) {
        auto it = bus->watches_by_id_.find(id);
        if (it == bus->watches_by_id_.end()) continue;
        SignalHandler handler = it->second.handler;  // a copy: the handler may remove its own watch
        handler(message);
    }
    return DBUS_HANDLER_RESULT_NOT_YET_HANDLED;
}

PendingCall Bus::call(DBusMessage* message, int timeout_ms, ReplyCallback callback) {
    DBusPendingCall* pending = nullptr;
    if (!dbus_connection_send_with_reply(connection_, message, &pending, timeout_ms) || pending == nullptr) {
        auto id = loop_.after(std::chrono::milliseconds(0), [callback = std::move(callback)] { callback(Reply{}); });
        return PendingCall(loop_, id);
    }
    auto* data = new ReplyCallback(std::move(callback));
    if (!dbus_pending_call_set_notify(pending, on_reply, data, free_callback)) {
        delete data;
        dbus_pending_call_cancel(pending);
        dbus_pending_call_unref(pending);
        throw std::bad_alloc();
    }
    return PendingCall(pending);
}

void Bus::send(DBusMessage* message) {
    if (!dbus_connection_send(connection_, message, nullptr)) LOG_ERROR("D-Bus: out of memory sending a message");
}

dbus_bool_t Bus::add_watch(DBusWatch* watch, void* data) {
    auto* self = static_cast<Bus*>(data);
    int fd = dbus_watch_get_unix_fd(watch);
    self->watches_[fd].push_back(watch);
    self->update_fd(fd);
    return TRUE;
}

void Bus::remove_watch(DBusWatch* watch, void* data) {
    auto* self = static_cast<Bus*>(data);
    for (auto& [fd, list] : self->watches_) {
        std::erase(list, watch);
    }
    for (auto it = self->watches_.begin(); it != self->watches_.end();) {
        int fd = it->first;
        ++it;
        self->update_fd(fd);
    }
}

void Bus::toggle_watch(DBusWatch* watch, void* data) {
    static_cast<Bus*>(data)->update_fd(dbus_watch_get_unix_fd(watch));
}

// Merges the flags of every enabled watch on fd into one loop registration.
void Bus::update_fd(int fd) {
    auto found = watches_.find(fd);
    std::uint32_t events = 0;
    if (found != watches_.end()) {
        for (DBusWatch* watch : found->second) {
            if (!dbus_watch_get_enabled(watch)) continue;
            unsigned flags = dbus_watch_get_flags(watch);
            if (flags & DBUS_WATCH_READABLE) events |= loop::EventLoop::Readable;
            if (flags & DBUS_WATCH_WRITABLE) events |= loop::EventLoop::Writable;
        }
        if (found->second.empty()) watches_.erase(found);
    }
    if (events == 0) {
        if (loop_.watching(fd)) loop_.unwatch(fd);
        return;
    }
    loop_.watch(fd, events, [this, fd](std::uint32_t happened) { handle_fd(fd, happened); });
}

void Bus::handle_fd(int fd, std::uint32_t events) {
    auto found = watches_.find(fd);
    if (found == watches_.end()) return;
    const std::vector<DBusWatch*> snapshot = found->second;  // handling may add or remove watches
    for (DBusWatch* watch : snapshot) {
        auto current = watches_.find(fd);
        if (current == watches_.end()) break;
        if (std::find(current->second.begin(), current->second.end(), watch) == current->second.end()) continue;
        if (!dbus_watch_get_enabled(watch)) continue;
        unsigned wanted = dbus_watch_get_flags(watch);
        unsigned flags = 0;
        if ((events & loop::EventLoop::Readable) && (wanted & DBUS_WATCH_READABLE)) flags |= DBUS_WATCH_READABLE;
        if ((events & loop::EventLoop::Writable) && (wanted & DBUS_WATCH_WRITABLE)) flags |= DBUS_WATCH_WRITABLE;
        if (events & loop::EventLoop::Error) flags |= DBUS_WATCH_ERROR | DBUS_WATCH_HANGUP;
        if (flags != 0) dbus_watch_handle(watch, flags);
    }
    if (dbus_connection_get_dispatch_status(connection_) == DBUS_DISPATCH_DATA_REMAINS) schedule_dispatch();
}

dbus_bool_t Bus::add_timeout(DBusTimeout* timeout, void* data) {
    auto* self = static_cast<Bus*>(data);
    self->timeouts_[timeout] = std::make_unique<loop::Timer>(self->loop_);
    if (dbus_timeout_get_enabled(timeout)) self->arm_timeout(timeout);
    return TRUE;
}

void Bus::remove_timeout(DBusTimeout* timeout, void* data) { static_cast<Bus*>(data)->timeouts_.erase(timeout); }

void Bus::toggle_timeout(DBusTimeout* timeout, void* data) {
    auto* self = static_cast<Bus*>(data);
    auto found = self->timeouts_.find(timeout);
    if (found == self->timeouts_.end()) return;
    if (dbus_timeout_get_enabled(timeout)) {
        self->arm_timeout(timeout);
    } else {
        found->second->cancel();
    }
}

// libdbus timeouts repeat until removed or disabled.
void Bus::arm_timeout(DBusTimeout* timeout) {
    auto found = timeouts_.find(timeout);
    if (found == timeouts_.end()) return;
    found->second->start(std::chrono::milliseconds(dbus_timeout_get_interval(timeout)), [this, timeout] {
        dbus_timeout_handle(timeout);
        auto again = timeouts_.find(timeout);
        if (again != timeouts_.end() && dbus_timeout_get_enabled(timeout) && !again->second->pending()) {
            arm_timeout(timeout);
        }
        schedule_dispatch();
    });
}

void Bus::dispatch_status(DBusConnection*, DBusDispatchStatus status, void* data) {
    if (status == DBUS_DISPATCH_DATA_REMAINS) static_cast<Bus*>(data)->schedule_dispatch();
}

void Bus::wakeup(void* data) { static_cast<Bus*>(data)->schedule_dispatch(); }

// Dispatching from inside libdbus callbacks is not allowed: it always runs from the loop.
void Bus::schedule_dispatch() {
    if (!dispatch_timer_.pending()) dispatch_timer_.start(std::chrono::milliseconds(0), [this] { dispatch(); });
}

void Bus::dispatch() {
    while (dbus_connection_dispatch(connection_) == DBUS_DISPATCH_DATA_REMAINS) {
    }
}

}  // namespace busitem
