// mqtt: the network thread around libmosquitto, its backoff and its state hand-over.
#include "mqtt/Connection.hpp"

#include <pthread.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <optional>
#include <stdexcept>

#include "log/Log.hpp"
#include "util/Text.hpp"

namespace mqtt {
namespace {

using namespace std::chrono_literals;
using SteadyClock = std::chrono::steady_clock;

constexpr auto kFirstRetry = 1s;
constexpr auto kLongestRetry = 60s;
constexpr auto kFlushOnStop = 2s;      // at most this long for the offline message and DISCONNECT
constexpr const char* kSystemCaDirectory = "/etc/ssl/certs";
constexpr const char* kThreadName = "ee-mqtt";  // the network thread, as top -H and /proc show it

void init_library() {
    static std::once_flag once;
    std::call_once(once, [] { mosquitto_lib_init(); });
}

void check(int rc, const char* what) {
    if (rc != MOSQ_ERR_SUCCESS) throw std::runtime_error(std::string("MQTT: ") + what + ": " + mosquitto_strerror(rc));
}

}  // namespace

Connection::Connection(loop::EventLoop& loop, Settings settings, StateCallback on_state)
    : loop_(loop), settings_(std::move(settings)), on_state_(std::move(on_state)) {
    init_library();
    configure();
    event_fd_.reset(::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC));
    if (!event_fd_.valid()) {
        throw std::runtime_error(std::string("MQTT: eventfd: ") + std::strerror(errno));
    }
    loop_.watch(event_fd_.get(), loop::EventLoop::Readable, [this](std::uint32_t) { drain_notifications(); });
}

Connection::~Connection() {
    stop();
    loop_.unwatch(event_fd_.get());
}

void Connection::configure() {
    client_.reset(mosquitto_new(settings_.client_id.c_str(), true, this));
    if (!client_) throw std::runtime_error("MQTT: cannot create the client: " + std::string(std::strerror(errno)));
    check(mosquitto_threaded_set(client_.get(), true), "threaded mode");
    check(mosquitto_int_option(client_.get(), MOSQ_OPT_PROTOCOL_VERSION, MQTT_PROTOCOL_V311), "protocol version");
    if (!settings_.username.empty()) {
        const char* password = settings_.password.empty() ? nullptr : settings_.password.c_str();
        check(mosquitto_username_pw_set(client_.get(), settings_.username.c_str(), password), "username/password");
    }
    if (!settings_.topic_availability.empty()) {
        static const char offline[] = "offline";
        check(mosquitto_will_set(client_.get(), settings_.topic_availability.c_str(), sizeof offline - 1, offline, 1, true),
              "last will on the availability topic");
    }
    if (settings_.tls_enabled) {
        if (settings_.ca_file.empty()) {
            // The system's CA directory, not MOSQ_OPT_TLS_USE_OS_CERTS: libmosquitto 2.0.11
            // refuses every reconnect after the first attempt with that option.
            check(mosquitto_tls_set(client_.get(), nullptr, kSystemCaDirectory, nullptr, nullptr, nullptr),
                  "TLS with the system's CAs");
        } else {
            check(mosquitto_tls_set(client_.get(), settings_.ca_file.c_str(), nullptr, nullptr, nullptr, nullptr),
                  ("TLS CA file \"" + settings_.ca_file + "\"").c_str());
        }
        check(mosquitto_tls_insecure_set(client_.get(), settings_.tls_insecure), "TLS hostname check");
    }
    mosquitto_connect_callback_set(client_.get(), &Connection::on_connect);
    mosquitto_disconnect_callback_set(client_.get(), &Connection::on_disconnect);
    mosquitto_log_callback_set(client_.get(), &Connection::on_log);
}

std::string Connection::broker() const {
    std::string text = util::authority(settings_.host, settings_.port);
    if (settings_.tls_enabled) text += " (TLS)";
    return text;
}

void Connection::start() {
    if (thread_.joinable() || stopped_) return;
    thread_ = std::thread([this] { run(); });
}

bool Connection::publish(const std::string& topic, const std::string& payload, bool retain) {
    if (!connected_ || stopped_) return false;
    std::unique_lock lock(connect_mutex_, std::try_to_lock);
    if (!lock.owns_lock()) return false;  // the network thread is reconnecting: not connected
    int rc = mosquitto_publish(client_.get(), nullptr, topic.c_str(), static_cast<int>(payload.size()), payload.data(), 0,
                               retain);
    if (rc != MOSQ_ERR_SUCCESS) {
        LOG_DEBUG("MQTT: publishing to " << topic << " failed: " << mosquitto_strerror(rc));
        return false;
    }
    return true;
}

void Connection::stop() {
    if (stopped_) return;
    stopped_ = true;
    {
        std::lock_guard lock(wait_mutex_);
        stop_requested_.store(true);
    }
    wake_.notify_all();  // the backoff wait
    if (thread_.joinable()) {
        {
            // The wait in mosquitto_loop: queuing the DISCONNECT (after everything published
            // before) writes to libmosquitto's wake-up socket pair. Not while the network thread
            // connects: it checks stop_requested_ under this lock before it does.
            std::lock_guard lock(connect_mutex_);
            mosquitto_disconnect(client_.get());  // MOSQ_ERR_NO_CONN without a socket: nothing to wake
        }
        thread_.join();
    }
    connected_ = false;
}

// ---- network thread ----

void Connection::run() {
    // Signals belong to the loop thread (signalfd); SIGPIPE from a TLS write to a closed
    // socket must not kill the process.
    sigset_t all;
    sigfillset(&all);
    pthread_sigmask(SIG_BLOCK, &all, nullptr);
    pthread_setname_np(pthread_self(), kThreadName);

    std::chrono::seconds retry = kFirstRetry;
    while (!stop_requested()) {
        refusal_.clear();
        {
            std::lock_guard lock(library_error_mutex_);
            library_error_.clear();
        }
        bool accepted_before = false;
        int rc;
        {
            std::lock_guard lock(connect_mutex_);
            if (stop_requested()) break;  // stop() wakes a connection made before it took the lock
            rc = mosquitto_connect_async(client_.get(), settings_.host.c_str(), settings_.port, settings_.keepalive);
        }
        int saved_errno = errno;
        if (rc == MOSQ_ERR_SUCCESS) {
            rc = drive();
            saved_errno = errno;
            accepted_before = accepted_;
        }
        if (session_up_) {  // the library closed the socket without telling us
            session_up_ = false;
            notify_loop(false);
        }
        if (stop_requested()) break;
        if (accepted_before) {
            retry = kFirstRetry;
        } else {
            errno = saved_errno;
            report_failure(rc, retry);
        }
        std::unique_lock lock(wait_mutex_);
        wake_.wait_for(lock, retry, [this] { return stop_requested(); });
        if (!accepted_before) retry = std::min<std::chrono::seconds>(retry * 2, kLongestRetry);
    }
    if (session_up_) {
        session_up_ = false;
        notify_loop(false);
    }
}

int Connection::drive() {
    accepted_ = false;
    // Idle, the wait ends only for traffic, a wake-up (publish, stop) or libmosquitto's keepalive:
    // mosquitto_loop shortens any timeout to the moment its next message to the broker is due
    // (next_msg_out, the last one sent + keepalive), so the PINGREQ goes out in time, and
    // mosquitto_loop_misc, which sends it, runs after every wait. Nothing else needs a tick.
    const int idle_wait_ms = settings_.keepalive * 1000;
    std::optional<SteadyClock::time_point> flush_deadline;
    for (;;) {
        int wait_ms = idle_wait_ms;
        if (flush_deadline) {
            auto left = std::chrono::ceil<std::chrono::milliseconds>(*flush_deadline - SteadyClock::now());
            wait_ms = static_cast<int>(std::clamp<std::chrono::milliseconds::rep>(left.count(), 0, idle_wait_ms));
        }
        int rc = mosquitto_loop(client_.get(), wait_ms, 1);
        if (rc != MOSQ_ERR_SUCCESS) return rc;
        if (!stop_requested()) continue;
        if (!session_up_) return MOSQ_ERR_SUCCESS;
        // stop() queued the DISCONNECT behind everything published before it; the loop ends when
        // it is written (libmosquitto then closes the socket) or at the deadline.
        if (!flush_deadline) {
            flush_deadline = SteadyClock::now() + kFlushOnStop;
        } else if (SteadyClock::now() >= *flush_deadline) {
            return MOSQ_ERR_SUCCESS;
        }
    }
}

void Connection::report_failure(int rc, std::chrono::seconds retry_in) {
    std::string library_error;
    {
        std::lock_guard lock(library_error_mutex_);
        library_error = library_error_;
    }
    std::string reason;
    if (!refusal_.empty()) {
        reason = refusal_;
    } else if (!library_error.empty()) {
        reason = library_error;
    } else if (rc == MOSQ_ERR_ERRNO) {
        reason = std::strerror(errno);
    } else {
        reason = mosquitto_strerror(rc);
    }
    if (reason != last_reported_) {
        last_reported_ = reason;
        LOG_WARNING("MQTT: cannot connect to broker " << broker() << ": " << reason << "; retrying in "
                                                       << retry_in.count() << " s, backing off up to "
                                                       << kLongestRetry.count() << " s");
    } else {
        LOG_DEBUG("MQTT: connecting to broker " << broker() << " failed again: " << reason << "; next try in "
                                                << retry_in.count() << " s");
    }
}

void Connection::on_connect(struct mosquitto*, void* self, int rc) {
    auto* connection = static_cast<Connection*>(self);
    if (rc != 0) {
        connection->refusal_ = std::string("broker refused the connection: ") + mosquitto_connack_string(rc);
        if (rc == 4 || rc == 5) connection->refusal_ += " (check username and password)";
        return;
    }
    connection->accepted_ = true;
    connection->session_up_ = true;
    connection->last_reported_.clear();
    LOG_INFO("MQTT: connected to broker " << connection->broker() << " as " << connection->settings_.client_id);
    connection->notify_loop(true);
}

void Connection::on_disconnect(struct mosquitto*, void* self, int rc) {
    auto* connection = static_cast<Connection*>(self);
    if (!connection->session_up_) return;
    connection->session_up_ = false;
    if (rc == 0) {
        LOG_INFO("MQTT: disconnected from broker " << connection->broker());
    } else {
        std::string reason = rc == MOSQ_ERR_ERRNO ? std::strerror(errno) : mosquitto_strerror(rc);
        LOG_WARNING("MQTT: connection to broker " << connection->broker() << " lost (" << reason
                                                  << "); reconnecting");
    }
    connection->notify_loop(false);
}

void Connection::on_log(struct mosquitto*, void* self, int level, const char* text) {
    if ((level & MOSQ_LOG_ERR) == 0 || text == nullptr) return;
    auto* connection = static_cast<Connection*>(self);
    {
        std::lock_guard lock(connection->library_error_mutex_);
        if (connection->library_error_.empty()) connection->library_error_ = text;
    }
    LOG_DEBUG("MQTT library: " << text);
}

void Connection::notify_loop(bool connected) {
    {
        std::lock_guard lock(notify_mutex_);
        notifications_.push_back(connected);
    }
    std::uint64_t one = 1;
    [[maybe_unused]] ssize_t written = ::write(event_fd_.get(), &one, sizeof one);
}

// ---- loop thread ----

void Connection::drain_notifications() {
    std::uint64_t count = 0;
    [[maybe_unused]] ssize_t got = ::read(event_fd_.get(), &count, sizeof count);
    std::deque<bool> pending;
    {
        std::lock_guard lock(notify_mutex_);
        pending.swap(notifications_);
    }
    for (bool state : pending) {
        if (stopped_ || state == connected_) continue;
        connected_ = state;
        if (on_state_) on_state_(state);
    }
}

}  // namespace mqtt
