// envoy-sim: the HTTP(S) server: routing of gateway paths, authentication per firmware family,
// the /stream/meter event stream, fault injection, the /__sim/fault control endpoint, and the
// production limit endpoints with the production answers that follow them.
#pragma once

#include "Capture.hpp"
#include "DigestAuth.hpp"
#include "Faults.hpp"
#include "Jwt.hpp"
#include "LimitEndpoints.hpp"
#include "LimitModel.hpp"
#include "MeterModel.hpp"
#include "Options.hpp"
#include "RequestLog.hpp"

#include <atomic>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>

namespace httplib {
class Server;
struct Request;
struct Response;
}  // namespace httplib

namespace sim {

class SimServer {
public:
    // Throws std::runtime_error with a clear message when the capture or TLS setup fails.
    SimServer(const Options& options, const Capture& capture);
    ~SimServer();

    // Binds 127.0.0.1 (port from the options, 0 = any) and returns the bound port, or -1.
    int bind();
    // "http://127.0.0.1:PORT" or "https://..." after bind().
    std::string url() const;
    bool token_mode() const { return token_mode_; }
    // Serves until stop(); returns when every connection has ended.
    void run();
    // Thread-safe; wakes streams and delays so that run() returns promptly.
    void stop();

private:
    void handle(const httplib::Request& req, httplib::Response& res);
    void handle_fault_control(const httplib::Request& req, httplib::Response& res);
    bool authorize(const httplib::Request& req, httplib::Response& res);
    bool authorize_token(const httplib::Request& req, httplib::Response& res);
    void check_jwt(const httplib::Request& req, httplib::Response& res);
    void serve_stream(const httplib::Request& req, httplib::Response& res);
    void serve_content(const httplib::Request& req, httplib::Response& res);
    // The modelled battery's answer for path; false when path is not a battery endpoint.
    bool serve_battery(const std::string& path, httplib::Response& res);
    void unauthorized(httplib::Response& res, const std::string& challenge);
    // Accepts valid claims unless revoked, remembering them for a later "revoke-seen".
    bool admit(const std::optional<TokenClaims>& claims);
    // Waits up to ms; false when the server is stopping.
    bool pause(long ms);

    Options options_;
    const Capture& capture_;
    bool token_mode_;
    Faults faults_;
    LimitModel limit_;
    BatteryModel battery_;
    MeterModel model_;
    LimitEndpoints limit_endpoints_;
    RequestLog limit_log_;
    DigestAuth digest_;
    std::unique_ptr<httplib::Server> server_;
    int port_ = -1;

    std::mutex sessions_mutex_;
    std::map<std::string, TokenClaims> sessions_;  // sessionId cookie -> claims of its token
    std::set<std::string> seen_jti_;               // tokens accepted so far
    std::set<std::string> revoked_jti_;            // tokens rejected since "revoke-seen"

    std::mutex stop_mutex_;
    std::condition_variable stop_cv_;
    bool stopping_ = false;

    std::atomic<long long> sample_seq_{0};
    std::mutex out_mutex_;
};

}  // namespace sim
