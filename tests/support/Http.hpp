// tests/support: blocking HTTP requests to the simulator with libcurl (GET, POST, PUT, reading
// Server-Sent Events), for the tests that talk to envoy-sim directly or steer it through
// POST /__sim/fault. TLS is not verified: the simulator's certificate is self-signed.
#pragma once

#include <curl/curl.h>

#include <chrono>
#include <functional>
#include <string>
#include <vector>

namespace testsupport {

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

Response get(const std::string& url, const Auth& auth = {},
             std::chrono::milliseconds timeout = std::chrono::seconds(10));
Response post(const std::string& url, const std::string& body);
// Any method with a body and credentials (a POST or PUT of a setting to the gateway).
Response send(const std::string& method, const std::string& url, const std::string& body, const Auth& auth);

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

}  // namespace testsupport
