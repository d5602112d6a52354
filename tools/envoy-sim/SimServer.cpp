// envoy-sim: request handling on cpp-httplib (thread per connection from a pool).
#include "SimServer.hpp"

#include "Certificate.hpp"
#include "Crypto.hpp"
#include "Inventory.hpp"
#include "envoy/parsers/InstallerPassword.hpp"

#include <httplib.h>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <iostream>
#include <stdexcept>

namespace sim {

namespace {

constexpr const char* kStreamPath = "/stream/meter";
constexpr const char* kReadingsPath = "/ivp/meters/readings";

bool starts_with(const std::string& s, const std::string& prefix) { return s.rfind(prefix, 0) == 0; }

bool installer_only(const std::string& path) {
    return path == kStreamPath || starts_with(path, "/installer/") || LimitEndpoints::handles(path);
}

std::string query_of(const httplib::Request& req) {
    auto q = req.target.find('?');
    return q == std::string::npos ? std::string() : req.target.substr(q + 1);
}

std::string cookie_value(const httplib::Request& req, const std::string& name) {
    std::string cookies = req.get_header_value("Cookie");
    std::size_t pos = 0;
    while (pos < cookies.size()) {
        auto end = cookies.find(';', pos);
        std::string part = cookies.substr(pos, end == std::string::npos ? std::string::npos : end - pos);
        auto b = part.find_first_not_of(' ');
        if (b != std::string::npos) part = part.substr(b);
        if (starts_with(part, name + "=")) return part.substr(name.size() + 1);
        if (end == std::string::npos) break;
        pos = end + 1;
    }
    return {};
}

std::string malform(const std::string& body) {
    if (body.size() < 4) return "{\"truncated";
    return body.substr(0, body.size() / 2);
}

void not_found(httplib::Response& res) {
    res.status = 404;
    res.set_content("404 Not Found\n", "text/plain");
}

std::int64_t now_epoch() { return static_cast<std::int64_t>(std::time(nullptr)); }

// /info with another <sn> (any bytes).
std::string with_serial(const std::string& info, const std::string& serial) {
    const auto start = info.find("<sn>");
    const auto end = info.find("</sn>");
    if (start == std::string::npos || end == std::string::npos || end < start) return info;
    return info.substr(0, start + 4) + serial + info.substr(end);
}

// Readings whose lifetime counters (of the meters and their channels) all read 0.
nlohmann::ordered_json zero_counters(nlohmann::ordered_json readings) {
    auto zero = [](nlohmann::ordered_json& values) {
        for (const char* key : {"actEnergyDlvd", "actEnergyRcvd"}) {
            if (values.is_object() && values.contains(key)) values[key] = 0.0;
        }
    };
    if (!readings.is_array()) return readings;
    for (auto& meter : readings) {
        zero(meter);
        if (meter.is_object() && meter.contains("channels") && meter["channels"].is_array()) {
            for (auto& channel : meter["channels"]) zero(channel);
        }
    }
    return readings;
}

std::size_t size_param(const httplib::Request& req, const char* key, std::size_t fallback) {
    if (!req.has_param(key)) return fallback;
    try {
        long v = std::stol(req.get_param_value(key));
        return v < 0 ? fallback : static_cast<std::size_t>(v);
    } catch (const std::exception&) {
        return fallback;
    }
}

}  // namespace

SimServer::SimServer(const Options& options, const Capture& capture)
    : options_(options),
      capture_(capture),
      token_mode_(options.firmware == "token" || (options.firmware == "auto" && capture.token_firmware())),
      limit_(limit_dynamics(options), initial_limit(options, capture)),
      battery_(capture.json("ivp_ensemble_inventory"), capture.json("ivp_ensemble_power"),
               capture.json("ivp_ensemble_secctrl"), capture.json("ivp_meters"), capture.json("ivp_meters_readings"),
               !options.static_values),
      model_(capture.json("ivp_meters"), capture.json("ivp_meters_readings"), !options.static_values, &limit_, &battery_),
      limit_endpoints_(options_, capture, limit_, model_, [this](long ms) { return pause(ms); }),
      limit_log_(options.log_limit_requests),
      digest_("installer", envoy::parse::installer_password(capture.serial())) {
    for (const auto& f : options_.faults) (void)faults_.apply(f);  // checked by parse_options
    if (token_mode_) {
        Certificate cert = make_self_signed("envoy.local", options_.tls_key);
        server_ = std::make_unique<httplib::SSLServer>(cert.cert.get(), cert.key.get());
    } else {
        server_ = std::make_unique<httplib::Server>();
    }
    if (!server_->is_valid()) throw std::runtime_error("cannot set up the HTTP(S) server (TLS context)");
    server_->new_task_queue = [] { return new httplib::ThreadPool(64); };
    server_->set_keep_alive_timeout(2);
    server_->set_keep_alive_max_count(100000);
    // Each stream event goes out the moment it is written, as a gateway emitting events does: with
    // Nagle's algorithm (cpp-httplib's default) an event written while the client's delayed ACK of
    // the previous one is pending waits up to 40 ms in the simulator's socket, a delay that is
    // the simulator's, not the driver's.
    server_->set_tcp_nodelay(true);
    server_->set_read_timeout(5, 0);
    server_->set_write_timeout(5, 0);
    server_->Get(R"(/.*)", [this](const httplib::Request& req, httplib::Response& res) { handle(req, res); });
    server_->Post(kDpelPath, [this](const httplib::Request& req, httplib::Response& res) { handle(req, res); });
    server_->Put(kPowerModePath, [this](const httplib::Request& req, httplib::Response& res) { handle(req, res); });
    server_->Post("/__sim/fault",
                  [this](const httplib::Request& req, httplib::Response& res) { handle_fault_control(req, res); });
    server_->set_logger([this](const httplib::Request& req, const httplib::Response& res) {
        if (LimitEndpoints::handles(req.path)) limit_log_.append(req.method, req.path, req.body, res.status);
        if (!options_.verbose) return;
        std::lock_guard lock(out_mutex_);
        std::cerr << "envoy-sim: " << req.method << " " << req.path << " -> " << res.status << std::endl;
    });
}

SimServer::~SimServer() = default;

int SimServer::bind() {
    if (options_.port == 0) {
        port_ = server_->bind_to_any_port("127.0.0.1");
    } else {
        port_ = server_->bind_to_port("127.0.0.1", options_.port) ? options_.port : -1;
    }
    return port_;
}

std::string SimServer::url() const {
    return std::string(token_mode_ ? "https" : "http") + "://127.0.0.1:" + std::to_string(port_);
}

void SimServer::run() { server_->listen_after_bind(); }

void SimServer::stop() {
    {
        std::lock_guard lock(stop_mutex_);
        stopping_ = true;
    }
    stop_cv_.notify_all();
    server_->stop();
}

bool SimServer::pause(long ms) {
    std::unique_lock lock(stop_mutex_);
    return !stop_cv_.wait_for(lock, std::chrono::milliseconds(ms), [this] { return stopping_; });
}

void SimServer::handle_fault_control(const httplib::Request& req, httplib::Response& res) {
    if (req.body == "revoke-seen" || req.body == "revoke-seen\n") {
        std::lock_guard lock(sessions_mutex_);
        revoked_jti_.insert(seen_jti_.begin(), seen_jti_.end());
        sessions_.clear();
        res.set_content("ok\n", "text/plain");
        return;
    }
    if (const auto problem = faults_.apply_lines(req.body)) {
        res.status = 400;
        res.set_content(*problem + "\n", "text/plain");
    } else {
        res.set_content("ok\n", "text/plain");
    }
}

void SimServer::unauthorized(httplib::Response& res, const std::string& challenge) {
    res.status = 401;
    if (!challenge.empty()) res.set_header("WWW-Authenticate", challenge);
    res.set_content("401 Unauthorized\n", "text/plain");
}

bool SimServer::admit(const std::optional<TokenClaims>& claims) {
    if (!claims) return false;
    std::lock_guard lock(sessions_mutex_);
    if (revoked_jti_.count(claims->jti) != 0) return false;
    seen_jti_.insert(claims->jti);
    return true;
}

bool SimServer::authorize_token(const httplib::Request& req, httplib::Response& res) {
    std::optional<TokenClaims> claims;
    std::string auth = req.get_header_value("Authorization");
    if (starts_with(auth, "Bearer ")) {
        claims = check_token(auth.substr(7), options_.jwt_key, capture_.serial(), now_epoch());
        if (!admit(claims)) claims.reset();
    } else if (std::string sid = cookie_value(req, "sessionId"); !sid.empty()) {
        std::lock_guard lock(sessions_mutex_);
        auto it = sessions_.find(sid);
        if (it != sessions_.end() && it->second.exp > now_epoch()) claims = it->second;
    }
    if (!claims || (installer_only(req.path) && claims->role != "installer")) {
        unauthorized(res, "");
        return false;
    }
    return true;
}

bool SimServer::authorize(const httplib::Request& req, httplib::Response& res) {
    if (token_mode_) return authorize_token(req, res);
    if (!installer_only(req.path)) return true;
    if (digest_.verify(req.get_header_value("Authorization"), req.method, req.path)) return true;
    unauthorized(res, digest_.challenge());
    return false;
}

void SimServer::check_jwt(const httplib::Request& req, httplib::Response& res) {
    std::string auth = req.get_header_value("Authorization");
    std::optional<TokenClaims> claims;
    if (starts_with(auth, "Bearer ")) {
        claims = check_token(auth.substr(7), options_.jwt_key, capture_.serial(), now_epoch());
    }
    if (!admit(claims)) {
        unauthorized(res, "");
        return;
    }
    std::string sid = random_hex(16);
    {
        std::lock_guard lock(sessions_mutex_);
        sessions_[sid] = *claims;
    }
    res.set_header("Set-Cookie", "sessionId=" + sid + "; Path=/; HttpOnly");
    res.set_content("<!DOCTYPE html><h2>Valid token.</h2>\n", "text/html");
}

void SimServer::handle(const httplib::Request& req, httplib::Response& res) {
    const std::string& path = req.path;
    if (int delay = faults_.delay_ms(path); delay > 0 && !pause(delay)) {
        res.status = 503;
        return;
    }
    if (LimitEndpoints::handles(path) && !limit_endpoints_.serves(path)) {
        not_found(res);
        return;
    }
    if (path == "/auth/check_jwt" && token_mode_) {
        check_jwt(req, res);
        return;
    }
    if (path != "/info" && !authorize(req, res)) return;
    if (auto code = faults_.fail_code(path)) {
        res.status = *code;
        res.set_content("simulated failure " + std::to_string(*code) + "\n", "text/plain");
        return;
    }
    if (path == kStreamPath) {
        serve_stream(req, res);
        return;
    }
    if (faults_.take_html(path)) {
        res.set_content("<!DOCTYPE html><html><body><h1>Enphase</h1><p>Please log in.</p></body></html>\n", "text/html");
        return;
    }
    if (faults_.take_deep(path)) {
        res.set_content(std::string(100000, '[') + std::string(100000, ']'), "application/json");
        return;
    }
    if (LimitEndpoints::handles(path)) {
        limit_endpoints_.handle(req, res);
        return;
    }
    serve_content(req, res);
    // httplib leaves the status at -1 (sent as 200) unless the handler set one.
    if ((res.status == 200 || res.status == -1) && faults_.malformed(path)) res.body = malform(res.body);
}

void SimServer::serve_content(const httplib::Request& req, httplib::Response& res) {
    const std::string& path = req.path;
    std::string query = query_of(req);
    // --static serves the captured readings file itself (below).
    if (path == kReadingsPath && faults_.take_zero_counters()) {
        auto readings = model_.has_readings() && !options_.static_values ? model_.readings() : capture_.json("ivp_meters_readings");
        res.set_content(zero_counters(std::move(readings)).dump(), "application/json");
        return;
    }
    if (path == kReadingsPath && model_.has_readings() && !options_.static_values) {
        res.set_content(model_.readings().dump(), "application/json");
        return;
    }
    if (battery_.modelled() && serve_battery(path, res)) return;
    std::optional<CapturedResponse> captured = limit_endpoints_.limited_answer(path, query);
    if (!captured) captured = capture_.lookup(path, query);
    if (captured && path == "/info") {
        if (auto serial = faults_.serial()) captured->body = with_serial(captured->body, *serial);
    }
    if (!captured && path == "/inventory.json") {
        captured = capture_.file("inventory");
        if (!captured) {
            captured = CapturedResponse{200, "application/json",
                                        generate_inventory(capture_.json("api_v1_production_inverters")).dump()};
        }
    }
    if (path == "/datatab/event_dt.rb") {
        captured = capture_.file("datatab_event_dt.rb");
        if (!captured) {
            auto events = generate_events(capture_.json("api_v1_production_inverters"), now_epoch(),
                                          size_param(req, "start", 0), size_param(req, "length", 10));
            captured = CapturedResponse{200, "application/json", events.dump()};
        }
    }
    if (!captured) {
        not_found(res);
        return;
    }
    res.status = captured->status;
    res.set_content(captured->body, captured->content_type);
}

bool SimServer::serve_battery(const std::string& path, httplib::Response& res) {
    const auto now = std::chrono::steady_clock::now();
    nlohmann::ordered_json body;
    if (path == "/ivp/ensemble/inventory") body = battery_.inventory(now);
    else if (path == "/ivp/ensemble/power") body = battery_.power(now);
    else if (path == "/ivp/ensemble/secctrl") body = battery_.secctrl(now);
    else return false;
    res.set_content(body.dump(), "application/json");
    return true;
}

void SimServer::serve_stream(const httplib::Request&, httplib::Response& res) {
    if (!model_.can_stream()) {
        res.status = 404;
        res.set_content("404 Not Found: no enabled meters\n", "text/plain");
        return;
    }
    res.set_header("Cache-Control", "no-cache");
    if (faults_.endless_event()) {
        // One event line that never ends: a few kilobytes at a time, never a newline.
        res.set_chunked_content_provider("text/event-stream", [this](std::size_t offset, httplib::DataSink& sink) {
            if (offset > 0 && !pause(20)) return false;
            const std::string chunk = offset == 0 ? "data: {\"production\": \"" : std::string(4096, 'x');
            return sink.write(chunk.data(), chunk.size());
        });
        return;
    }
    auto sent = std::make_shared<long>(0);
    res.set_chunked_content_provider("text/event-stream", [this, sent](std::size_t, httplib::DataSink& sink) {
        if (*sent > 0 && !pause(options_.stream_interval_ms)) return false;
        for (;;) {
            long stall = faults_.stall_after();
            if (stall < 0 || *sent < stall) break;
            if (!pause(100)) return false;
        }
        long close = faults_.close_after();
        if (close >= 0 && *sent >= close) return false;
        auto event = model_.stream_event();
        std::string json = event.dump();
        if (faults_.malformed(kStreamPath)) json = malform(json);
        std::string chunk = "data: " + json + "\n\n";
        long long seq = ++sample_seq_;
        auto t_ns = std::chrono::duration_cast<std::chrono::nanoseconds>(
                        std::chrono::steady_clock::now().time_since_epoch()).count();
        if (!sink.write(chunk.data(), chunk.size())) return false;
        ++*sent;
        if (options_.log_samples) {
            char line[128];
            std::snprintf(line, sizeof line, "sample %lld t_ns=%lld p=%.3f\n", seq, static_cast<long long>(t_ns),
                          MeterModel::production_power(event));
            std::lock_guard lock(out_mutex_);
            std::fputs(line, stdout);
            std::fflush(stdout);
        }
        return true;
    });
}

}  // namespace sim
