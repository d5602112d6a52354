// envoy: non-blocking HTTP(S) on libcurl's multi interface, driven by the daemon's event loop.
//
// Every transfer runs inside the one loop::EventLoop: libcurl tells us which sockets to watch
// and when to wake it (socket and timer callbacks), so no request ever blocks the loop.
// Connections are kept alive and reused across requests, cookies (the gateway's sessionId)
// are shared by all requests of one client, and TLS to the gateway skips certificate checks
// because gateways use self-signed certificates: their public key is pinned instead
// (GatewayKey.hpp). Streaming requests hand each received chunk to a callback as it arrives.
#pragma once

#include <curl/curl.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include "envoy/CurlHandles.hpp"
#include "loop/EventLoop.hpp"

namespace envoy {

struct HttpAuth {
    enum class Kind { None, Digest, Bearer } kind = Kind::None;
    std::string user;    // Digest
    std::string secret;  // Digest password or bearer token
};

struct HttpRequest {
    std::string url;
    HttpAuth auth;
    std::chrono::milliseconds timeout{10000};          // whole transfer; 0 = none (streams)
    std::chrono::milliseconds connect_timeout{5000};
    bool verify_peer = false;                           // gateways have self-signed certificates
    std::string ca_file;                                // with verify_peer: CA bundle; empty = libcurl's default
    std::string pinned_key;                             // "sha256//...": the peer must present this key
    bool learn_key = false;                             // fill HttpResponse::peer_key (a fresh, unshared connection)
    std::string post_body;                              // non-empty: POST with this body
    std::string content_type;                           // for POST
    // Streaming: called with each chunk of the body as it arrives; the body is then not kept.
    std::function<void(std::string_view chunk)> on_chunk;
};

struct HttpResponse {
    long status = 0;          // HTTP status, 0 when no answer arrived
    std::string body;
    std::string content_type; // the Content-Type header, empty when none
    std::string peer_key;     // with learn_key: the pin of the key the peer presented (GatewayKey.hpp)
    std::string error;        // transport error (connect refused, timeout, TLS), empty if none
    bool ok() const { return error.empty() && status >= 200 && status < 300; }
    // One line for logs: "HTTP 500" or the transport error.
    std::string describe() const;
};

class HttpClient {
public:
    using RequestId = std::uint64_t;
    using DoneCallback = std::function<void(HttpResponse&&)>;

    explicit HttpClient(loop::EventLoop& loop);
    ~HttpClient();
    HttpClient(const HttpClient&) = delete;
    HttpClient& operator=(const HttpClient&) = delete;

    // Starts a transfer; on_done is called once on the loop when it ends (not after cancel()).
    RequestId start(HttpRequest request, DoneCallback on_done);
    // Abandons a transfer; safe from inside any callback of this client.
    void cancel(RequestId id);
    bool active(RequestId id) const { return by_id_.count(id) != 0; }

private:
    struct Transfer;

    static int on_socket(CURL* easy, curl_socket_t socket, int what, void* self, void* socket_data);
    static int on_timer(CURLM* multi, long timeout_ms, void* self);
    static size_t on_write(char* data, size_t size, size_t count, void* transfer);

    void socket_action(curl_socket_t socket, int mask);
    void collect_finished();
    void remove(Transfer& transfer);

    loop::EventLoop& loop_;
    curl::Multi multi_;
    curl::Share share_;
    loop::Timer timer_;
    RequestId next_id_ = 1;
    int in_callback_ = 0;
    std::unordered_map<RequestId, std::unique_ptr<Transfer>> by_id_;
};

}  // namespace envoy
