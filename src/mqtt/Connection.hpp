// mqtt: one libmosquitto client kept connected to the broker by its own network thread.
//
// Threading design: libmosquitto's connect resolves the broker name with a blocking
// getaddrinfo and a TLS handshake or an unresponsive broker can take seconds, so every
// network operation (name resolution, connect, TLS, reading, writing, keepalive, reconnect
// with backoff) runs on a private network thread; the daemon's event loop never waits on
// the broker. The loop thread only calls publish() and stop(): mosquitto_publish is
// thread-safe and wakes the network thread, and publish() uses try_lock against the
// connect step, so it never blocks either. State changes (connected / disconnected) travel
// back to the loop thread through an eventfd watched by the loop, and on_state runs there.
//
// Waking: the network thread (named "ee-mqtt") sleeps until there is work, with no periodic
// tick. In mosquitto_loop it wakes for the socket, for libmosquitto's wake-up socket pair (a
// publish, or the DISCONNECT that stop() queues) and when libmosquitto's next keepalive message
// is due (mosquitto_loop shortens its timeout to that moment by itself): an idle connection
// wakes it about twice per keepalive period (PINGREQ, PINGRESP). In the backoff it waits on a
// condition variable that stop() notifies. stop() therefore ends the thread at once in every
// state, except that a connected session gets up to 2 s to flush what was published and the
// DISCONNECT, and a name lookup in progress (a blocking getaddrinfo) is waited out.
//
// Reconnect: 1 s doubling to 60 s after each failure, back to 1 s after a connection was
// accepted. Logging: one line per state change (connected, lost, a new kind of failure, at
// INFO/WARNING); repeated failures of the same kind are DEBUG. Nothing is queued while
// disconnected: publish() then returns false and drops the message.
#pragma once

#include <mosquitto.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include "loop/EventLoop.hpp"
#include "mqtt/MosquittoHandle.hpp"
#include "mqtt/Settings.hpp"
#include "util/UniqueFd.hpp"

namespace mqtt {

class Connection {
public:
    using StateCallback = std::function<void(bool connected)>;

    // settings must pass validate(); the last will (availability "offline", retained) is set
    // when the availability topic is not empty. Throws std::runtime_error when libmosquitto
    // rejects the settings (the message names the problem).
    Connection(loop::EventLoop& loop, Settings settings, StateCallback on_state);
    ~Connection();
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    // Starts the network thread (connecting in the background).
    void start();
    // Loop thread: sends now if connected (as seen by the loop thread); false if not sent.
    bool publish(const std::string& topic, const std::string& payload, bool retain);
    // Loop thread: sends a clean DISCONNECT after what was published before (if connected),
    // then joins the network thread: at once, or after the flush (at most 2 s) or a name
    // lookup in progress. Idempotent.
    void stop();
    // As seen by the loop thread: between on_state(true) and on_state(false).
    bool connected() const { return connected_; }
    std::string broker() const;

private:
    static void on_connect(struct mosquitto*, void* self, int rc);
    static void on_disconnect(struct mosquitto*, void* self, int rc);
    static void on_log(struct mosquitto*, void* self, int level, const char* text);

    void configure();
    void run();
    int drive();
    void report_failure(int rc, std::chrono::seconds retry_in);
    void notify_loop(bool connected);
    void drain_notifications();
    bool stop_requested() const { return stop_requested_.load(); }

    loop::EventLoop& loop_;
    Settings settings_;
    StateCallback on_state_;
    MosquittoHandle client_;
    util::UniqueFd event_fd_;
    bool connected_ = false;   // loop thread's view
    bool stopped_ = false;     // loop thread: stop() ran

    std::thread thread_;
    std::atomic<bool> stop_requested_{false};
    std::mutex connect_mutex_;  // held by the network thread while (re)connecting, by stop() to wake it
    std::mutex wait_mutex_;     // backoff wait, woken by stop()
    std::condition_variable wake_;
    std::mutex notify_mutex_;
    std::deque<bool> notifications_;

    // Network thread only.
    bool session_up_ = false;        // CONNACK accepted on the current socket
    bool accepted_ = false;          // CONNACK accepted during the current attempt
    std::string refusal_;            // CONNACK refusal of the current attempt
    std::mutex library_error_mutex_;  // on_log may also run on the publishing thread
    std::string library_error_;       // first error libmosquitto logged in the current attempt
    std::string last_reported_;      // failure text last logged at WARNING
};

}  // namespace mqtt
