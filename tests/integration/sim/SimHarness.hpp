// tests/integration/sim: a running envoy-sim process and small libcurl helpers (GET, POST,
// reading Server-Sent Events) shared by the simulator's integration tests.
#pragma once

#include "Process.hpp"

#include <curl/curl.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace simtest {

using namespace std::chrono_literals;

// Path of a capture folder below tests/data/envoy.
std::string capture(const std::string& name);

// envoy-sim started with the given arguments; waits for its "listening on URL" line.
class Sim {
public:
    explicit Sim(std::vector<std::string> args);
    const std::string& url() const { return url_; }
    bool ready() const { return !url_.empty(); }
    testsupport::Process& process() { return *process_; }

private:
    std::unique_ptr<testsupport::Process> process_;
    std::string url_;
};

// Runs envoy-sim with args to completion and returns its trimmed output (e.g. a token).
std::string run_sim(std::vector<std::string> args, int* exit_code = nullptr);

struct Auth {
    Auth(std::string bearer_token = {}, std::string cookie_pair = {}, std::string user = {}, std::string password = {})
        : bearer(std::move(bearer_token)), cookie(std::move(cookie_pair)), digest_user(std::move(user)),
          digest_password(std::move(password)) {}
    std::string bearer;
    std::string cookie;        // "name=value"
    std::string digest_user;
    std::string digest_password;
};

struct Response {
    CURLcode code = CURLE_OK;
    long status = 0;
    std::string headers;
    std::string body;
    double seconds = 0;
    // Value of the first header with this name (case-insensitive), "" when absent.
    std::string header(const std::string& name) const;
};

Response get(const std::string& url, const Auth& auth = {}, std::chrono::milliseconds timeout = 10s);
Response post(const std::string& url, const std::string& body);

struct StreamResult {
    CURLcode code = CURLE_OK;
    long status = 0;
    std::vector<std::string> events;  // the JSON text of each "data:" event
    double seconds = 0;
};

// Reads /stream/meter-style events until max_events arrived (then disconnects), the server
// ends the response, or the timeout passes. on_event is called with the count so far.
StreamResult read_stream(const std::string& url, const Auth& auth, std::size_t max_events,
                         std::chrono::milliseconds timeout,
                         const std::function<void(std::size_t)>& on_event = {});

}  // namespace simtest
