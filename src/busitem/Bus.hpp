// busitem/Bus: one private libdbus-1 connection driven by loop::EventLoop.
//
// Connects to the session bus when DBUS_SESSION_BUS_ADDRESS is set, else to the system bus.
// libdbus's watches (several may share one fd; their flags are merged), timeouts and
// dispatch status are mapped onto the event loop, so nothing polls and nothing blocks.
// Outgoing method calls are asynchronous: call() returns a PendingCall handle and the reply
// (or error) arrives later in a callback on the loop. Destroying the handle cancels the call.
#pragma once

#include <dbus/dbus.h>

#include <functional>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "loop/EventLoop.hpp"

namespace busitem {

// Connecting to the bus failed (no bus, refused); the message says which bus and why.
class BusError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// A reply to an asynchronous method call: the reply message, or an error.
struct Reply {
    DBusMessage* message = nullptr;  // borrowed for the duration of the callback; null on local failure
    bool ok() const { return message != nullptr && dbus_message_get_type(message) == DBUS_MESSAGE_TYPE_METHOD_RETURN; }
    // The D-Bus error name (e.g. org.freedesktop.DBus.Error.ServiceUnknown), "" when ok.
    std::string error_name() const;
};

// Owns an outstanding call; destroying or reset()ting it cancels the call (no callback).
class PendingCall {
public:
    PendingCall() = default;
    explicit PendingCall(DBusPendingCall* pending) : pending_(pending) {}
    // A call that failed locally: its error callback runs from this loop timer.
    PendingCall(loop::EventLoop& loop, loop::EventLoop::TimerId timer) : loop_(&loop), timer_(timer) {}
    ~PendingCall() { reset(); }
    PendingCall(PendingCall&& other) noexcept
        : pending_(other.pending_), loop_(other.loop_), timer_(other.timer_) {
        other.pending_ = nullptr;
        other.timer_ = 0;
    }
    PendingCall& operator=(PendingCall&& other) noexcept;
    PendingCall(const PendingCall&) = delete;
    PendingCall& operator=(const PendingCall&) = delete;

    void reset();
    bool active() const { return pending_ != nullptr && !dbus_pending_call_get_completed(pending_); }

private:
    DBusPendingCall* pending_ = nullptr;
    loop::EventLoop* loop_ = nullptr;
    loop::EventLoop::TimerId timer_ = 0;
};

class Bus;

// A subscription to signals (Bus::watch_signals); the match rule is removed with it.
class SignalWatch {
public:
    SignalWatch() = default;
    SignalWatch(Bus* bus, std::uint64_t id) : bus_(bus), id_(id) {}
    ~SignalWatch() { reset(); }
    SignalWatch(SignalWatch&& other) noexcept : bus_(other.bus_), id_(other.id_) { other.bus_ = nullptr; }
    SignalWatch& operator=(SignalWatch&& other) noexcept;
    SignalWatch(const SignalWatch&) = delete;
    SignalWatch& operator=(const SignalWatch&) = delete;
    void reset();

private:
    Bus* bus_ = nullptr;
    std::uint64_t id_ = 0;
};

class Bus {
public:
    using ReplyCallback = std::function<void(const Reply&)>;
    using SignalHandler = std::function<void(DBusMessage* signal)>;

    // Opens a private connection and registers with the bus daemon; throws BusError.
    explicit Bus(loop::EventLoop& loop);
    ~Bus();
    Bus(const Bus&) = delete;
    Bus& operator=(const Bus&) = delete;

    loop::EventLoop& loop() { return loop_; }
    DBusConnection* raw() { return connection_; }

    // Sends a method call (takes no ownership of message) and calls back with the reply on
    // the loop; the call is cancelled when the returned handle is destroyed.
    [[nodiscard]] PendingCall call(DBusMessage* message, int timeout_ms, ReplyCallback callback);
    // Sends a message (signal or reply) without waiting for anything.
    void send(DBusMessage* message);
    // Called (on the loop) when the connection to the bus daemon is gone: nothing registered on
    // it exists any more, so the owner must start over.
    void on_lost(std::function<void()> handler) { on_lost_ = std::move(handler); }
    // Asks the bus daemon for the signals of match rule (e.g. "type='signal',member='X'") and
    // hands each signal that matches it to handler, until the returned watch is destroyed.
    [[nodiscard]] SignalWatch watch_signals(const std::string& rule, SignalHandler handler);

private:
    static dbus_bool_t add_watch(DBusWatch* watch, void* data);
    static void remove_watch(DBusWatch* watch, void* data);
    static void toggle_watch(DBusWatch* watch, void* data);
    static dbus_bool_t add_timeout(DBusTimeout* timeout, void* data);
    static void remove_timeout(DBusTimeout* timeout, void* data);
    static void toggle_timeout(DBusTimeout* timeout, void* data);
    static void dispatch_status(DBusConnection* connection, DBusDispatchStatus status, void* data);
    static void wakeup(void* data);
    static DBusHandlerResult on_disconnected(DBusConnection* connection, DBusMessage* message, void* data);
    static DBusHandlerResult on_signal(DBusConnection* connection, DBusMessage* message, void* data);
    friend class SignalWatch;
    void unwatch(std::uint64_t id);

    void update_fd(int fd);
    void handle_fd(int fd, std::uint32_t events);
    void arm_timeout(DBusTimeout* timeout);
    void schedule_dispatch();
    void dispatch();

    loop::EventLoop& loop_;
    DBusConnection* connection_ = nullptr;
    std::map<int, std::vector<DBusWatch*>> watches_;
    std::map<DBusTimeout*, std::unique_ptr<loop::Timer>> timeouts_;
    loop::Timer dispatch_timer_;
    loop::Timer lost_timer_;
    std::function<void()> on_lost_;
    struct Watch {
        std::string rule;
        SignalHandler handler;
    };
    std::map<std::uint64_t, Watch> watches_by_id_;
    std::uint64_t next_watch_ = 1;
};

}  // namespace busitem
