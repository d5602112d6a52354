// envoy-sim: CloudServer implementation on cpp-httplib's SSLServer.
#include "CloudServer.hpp"

#include "Certificate.hpp"
#include "Crypto.hpp"
#include "Jwt.hpp"

#include <httplib.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <ctime>
#include <fstream>
#include <iostream>
#include <stdexcept>

namespace sim {

namespace {

void answer_json(httplib::Response& res, int status, const nlohmann::json& body) {
    res.status = status;
    res.set_content(body.dump(), "application/json");
}

}  // namespace

CloudServer::CloudServer(const Options& options) : options_(options) {
    TestPki pki = make_test_pki();
    if (!options_.ca_out.empty()) {
        std::ofstream out(options_.ca_out, std::ios::trunc);
        out << to_pem(pki.ca.cert.get());
        if (!out.flush()) throw std::runtime_error("cannot write the test CA to " + options_.ca_out);
    }
    server_ = std::make_unique<httplib::SSLServer>(pki.server.cert.get(), pki.server.key.get());
    if (!server_->is_valid()) throw std::runtime_error("cannot set up the HTTPS server (TLS context)");
    server_->set_keep_alive_timeout(2);
    server_->Post("/login/login.json", [this](const httplib::Request& req, httplib::Response& res) { login(req, res); });
    server_->Post("/tokens", [this](const httplib::Request& req, httplib::Response& res) { tokens(req, res); });
}

CloudServer::~CloudServer() = default;

int CloudServer::bind() {
    port_ = options_.port == 0 ? server_->bind_to_any_port("127.0.0.1")
                               : (server_->bind_to_port("127.0.0.1", options_.port) ? options_.port : -1);
    return port_;
}

std::string CloudServer::url() const { return "https://127.0.0.1:" + std::to_string(port_); }

void CloudServer::run() { server_->listen_after_bind(); }

void CloudServer::stop() { server_->stop(); }

void CloudServer::say(const std::string& line) {
    std::lock_guard lock(mutex_);
    std::cout << "envoy-sim cloud: " << line << std::endl;
}

void CloudServer::login(const httplib::Request& req, httplib::Response& res) {
    const std::string email = req.get_param_value("user[email]");
    const std::string password = req.get_param_value("user[password]");
    if (email != options_.cloud_user || !constant_time_equal(password, options_.cloud_password)) {
        answer_json(res, 401, {{"message", "Invalid email or password"}});
        say("login -> 401 (wrong e-mail or password)");
        return;
    }
    if (options_.cloud_mfa) {
        answer_json(res, 200, {{"success", true}, {"requires_mfa", true}, {"is_consumer", true}});
        say("login -> 200 without session_id (multi-factor account)");
        return;
    }
    const std::string session = random_hex(16);
    {
        std::lock_guard lock(mutex_);
        sessions_.insert(session);
    }
    answer_json(res, 200, {{"message", "success"}, {"session_id", session}, {"is_consumer", true},
                           {"manager_token", random_hex(16)}});
    say("login -> 200");
}

void CloudServer::tokens(const httplib::Request& req, httplib::Response& res) {
    long number = 0;
    {
        std::lock_guard lock(mutex_);
        number = ++token_requests_;
    }
    const std::string prefix = "token request " + std::to_string(number);
    const auto body = nlohmann::json::parse(req.body, nullptr, false);
    if (!body.is_object() || !body.contains("session_id") || !body["session_id"].is_string() ||
        !body.contains("serial_num") || !body["serial_num"].is_string()) {
        answer_json(res, 400, {{"message", "expected JSON with session_id, serial_num and username"}});
        say(prefix + " -> 400 (bad request)");
        return;
    }
    bool known_session = false;
    {
        std::lock_guard lock(mutex_);
        known_session = sessions_.count(body["session_id"].get<std::string>()) != 0;
    }
    if (!known_session) {
        answer_json(res, 401, {{"message", "invalid session"}});
        say(prefix + " -> 401 (unknown session)");
        return;
    }
    const std::string serial = body["serial_num"].get<std::string>();
    const auto& owned = options_.cloud_serials;
    if (!owned.empty() && std::find(owned.begin(), owned.end(), serial) == owned.end()) {
        answer_json(res, 403, {{"message", "serial " + serial + " is not linked to this account"}});
        say(prefix + " for serial " + serial + " -> 403 (unknown serial)");
        return;
    }
    TokenClaims claims;
    claims.role = options_.cloud_role;
    claims.username = body.value("username", options_.cloud_user);
    claims.serial = serial;
    claims.iat = static_cast<std::int64_t>(std::time(nullptr));
    claims.exp = claims.iat + options_.cloud_token_lifetime;
    res.set_content(make_token(claims, options_.jwt_key), "text/plain");
    say(prefix + " for serial " + serial + " -> 200 (" + claims.role + ", exp " + std::to_string(claims.exp) + ")");
}

}  // namespace sim
