// envoy-sim: the stand-in for the Enphase cloud (--cloud): the Enlighten login
// (POST /login/login.json) and the token service (POST /tokens) over TLS with a certificate
// of a test CA, issuing tokens signed like the simulated gateway's, with faults for a wrong
// password, an account with multi-factor authentication and serials the account does not own.
// One line per request on stdout (never a password or token), so tests can count them.
#pragma once

#include "Options.hpp"

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

class CloudServer {
public:
    // Writes the test CA to options.ca_out when set; throws std::runtime_error on failure.
    explicit CloudServer(const Options& options);
    ~CloudServer();

    int bind();
    std::string url() const;
    void run();
    void stop();

private:
    void login(const httplib::Request& req, httplib::Response& res);
    void tokens(const httplib::Request& req, httplib::Response& res);
    void say(const std::string& line);

    Options options_;
    std::unique_ptr<httplib::Server> server_;
    int port_ = -1;
    std::mutex mutex_;
    std::set<std::string> sessions_;
    long token_requests_ = 0;
};

}  // namespace sim
