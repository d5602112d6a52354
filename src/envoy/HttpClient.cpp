// envoy: HttpClient implementation (libcurl multi socket API on loop::EventLoop).
#include "envoy/HttpClient.hpp"

#include "envoy/GatewayKey.hpp"

#include <stdexcept>
#include <vector>

namespace envoy {

struct HttpClient::Transfer {
    HttpClient* owner = nullptr;
    RequestId id = 0;
    curl::Easy easy;
    curl::List headers;
    HttpRequest request;
    DoneCallback on_done;
    HttpResponse response;
    char error_buffer[CURL_ERROR_SIZE] = {0};
    bool cancelled = false;
};

namespace {

struct CurlGlobal {
    CurlGlobal() {
        if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) throw std::runtime_error("curl_global_init failed");
    }
    ~CurlGlobal() { curl_global_cleanup(); }
};

void ensure_curl_global() { static CurlGlobal global; }

// The pin of the leaf certificate of the transfer's TLS handshake, "" when there was none.
std::string peer_key(CURL* easy) {
    curl_certinfo* info = nullptr;
    if (curl_easy_getinfo(easy, CURLINFO_CERTINFO, &info) != CURLE_OK || info == nullptr || info->num_of_certs < 1) {
        return "";
    }
    constexpr std::string_view kCert = "Cert:";
    for (curl_slist* field = info->certinfo[0]; field != nullptr; field = field->next) {
        std::string_view text(field->data);
        if (text.substr(0, kCert.size()) == kCert) return public_key_pin(text.substr(kCert.size())).value_or("");
    }
    return "";
}

}  // namespace

std::string HttpResponse::describe() const {
    if (!error.empty()) return error;
    return "HTTP " + std::to_string(status);
}

HttpClient::HttpClient(loop::EventLoop& loop) : loop_(loop), timer_(loop) {
    ensure_curl_global();
    multi_.reset(curl_multi_init());
    share_.reset(curl_share_init());
    if (multi_ == nullptr || share_ == nullptr) throw std::runtime_error("libcurl initialisation failed");
    curl_share_setopt(share_.get(), CURLSHOPT_SHARE, CURL_LOCK_DATA_COOKIE);
    curl_share_setopt(share_.get(), CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS);
    curl_share_setopt(share_.get(), CURLSHOPT_SHARE, CURL_LOCK_DATA_SSL_SESSION);
    curl_multi_setopt(multi_.get(), CURLMOPT_SOCKETFUNCTION, &HttpClient::on_socket);
    curl_multi_setopt(multi_.get(), CURLMOPT_SOCKETDATA, this);
    curl_multi_setopt(multi_.get(), CURLMOPT_TIMERFUNCTION, &HttpClient::on_timer);
    curl_multi_setopt(multi_.get(), CURLMOPT_TIMERDATA, this);
    curl_multi_setopt(multi_.get(), CURLMOPT_MAX_HOST_CONNECTIONS, 4L);
}

HttpClient::~HttpClient() {
    timer_.cancel();
    for (auto& [id, transfer] : by_id_) {
        curl_multi_remove_handle(multi_.get(), transfer->easy.get());
    }
    by_id_.clear();
    // Here rather than with the members: the multi handle's cleanup may still call on_socket and
    // on_timer, which use the timer and the loop.
    multi_.reset();
    share_.reset();
}

HttpClient::RequestId HttpClient::start(HttpRequest request, DoneCallback on_done) {
    auto transfer = std::make_unique<Transfer>();
    transfer->owner = this;
    transfer->id = next_id_++;
    transfer->request = std::move(request);
    transfer->on_done = std::move(on_done);
    transfer->easy.reset(curl_easy_init());
    if (transfer->easy == nullptr) throw std::runtime_error("curl_easy_init failed");
    CURL* easy = transfer->easy.get();
    const HttpRequest& req = transfer->request;

    curl_easy_setopt(easy, CURLOPT_URL, req.url.c_str());
    curl_easy_setopt(easy, CURLOPT_PRIVATE, transfer.get());
    curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, &HttpClient::on_write);
    curl_easy_setopt(easy, CURLOPT_WRITEDATA, transfer.get());
    curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, transfer->error_buffer);
    curl_easy_setopt(easy, CURLOPT_SHARE, share_.get());
    curl_easy_setopt(easy, CURLOPT_COOKIEFILE, "");
    curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(easy, CURLOPT_TCP_KEEPALIVE, 1L);
    curl_easy_setopt(easy, CURLOPT_ACCEPT_ENCODING, "");
    curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(req.connect_timeout.count()));
    curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, static_cast<long>(req.timeout.count()));
    curl_easy_setopt(easy, CURLOPT_SSL_VERIFYPEER, req.verify_peer ? 1L : 0L);
    curl_easy_setopt(easy, CURLOPT_SSL_VERIFYHOST, req.verify_peer ? 2L : 0L);
    if (req.verify_peer && !req.ca_file.empty()) curl_easy_setopt(easy, CURLOPT_CAINFO, req.ca_file.c_str());
    // libcurl reuses a connection only for requests with the same pin, so a pinned request never
    // travels over a connection whose key was not checked.
    if (!req.pinned_key.empty()) curl_easy_setopt(easy, CURLOPT_PINNEDPUBLICKEY, req.pinned_key.c_str());
    if (req.learn_key) {
        // Certificate details come only with a new handshake; the connection is not kept, so no
        // later request can use a connection whose key was not checked.
        curl_easy_setopt(easy, CURLOPT_CERTINFO, 1L);
        curl_easy_setopt(easy, CURLOPT_FRESH_CONNECT, 1L);
        curl_easy_setopt(easy, CURLOPT_FORBID_REUSE, 1L);
    }
    switch (req.auth.kind) {
        case HttpAuth::Kind::Digest:
            curl_easy_setopt(easy, CURLOPT_HTTPAUTH, CURLAUTH_DIGEST);
            curl_easy_setopt(easy, CURLOPT_USERNAME, req.auth.user.c_str());
            curl_easy_setopt(easy, CURLOPT_PASSWORD, req.auth.secret.c_str());
            break;
        case HttpAuth::Kind::Bearer:
            curl_easy_setopt(easy, CURLOPT_HTTPAUTH, CURLAUTH_BEARER);
            curl_easy_setopt(easy, CURLOPT_XOAUTH2_BEARER, req.auth.secret.c_str());
            break;
        case HttpAuth::Kind::None: break;
    }
    if (!req.post_body.empty()) {
        curl_easy_setopt(easy, CURLOPT_POSTFIELDS, req.post_body.c_str());
        curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE, static_cast<long>(req.post_body.size()));
        if (!req.content_type.empty()) {
            curl::append(transfer->headers, ("Content-Type: " + req.content_type).c_str());
        }
    }
    if (req.on_chunk) curl::append(transfer->headers, "Accept: text/event-stream");
    if (transfer->headers != nullptr) curl_easy_setopt(easy, CURLOPT_HTTPHEADER, transfer->headers.get());

    RequestId id = transfer->id;
    by_id_.emplace(id, std::move(transfer));
    curl_multi_add_handle(multi_.get(), easy);
    return id;
}

void HttpClient::cancel(RequestId id) {
    auto found = by_id_.find(id);
    if (found == by_id_.end()) return;
    if (in_callback_ > 0) {
        // libcurl forbids removing handles from inside its callbacks: the write callback
        // aborts the transfer instead, and collect_finished() drops it silently.
        found->second->cancelled = true;
        return;
    }
    remove(*found->second);
}

void HttpClient::remove(Transfer& transfer) {
    curl_multi_remove_handle(multi_.get(), transfer.easy.get());
    by_id_.erase(transfer.id);
}

int HttpClient::on_socket(CURL*, curl_socket_t socket, int what, void* self, void*) {
    auto* client = static_cast<HttpClient*>(self);
    if (what == CURL_POLL_REMOVE) {
        client->loop_.unwatch(socket);
        return 0;
    }
    std::uint32_t events = 0;
    if (what == CURL_POLL_IN || what == CURL_POLL_INOUT) events |= loop::EventLoop::Readable;
    if (what == CURL_POLL_OUT || what == CURL_POLL_INOUT) events |= loop::EventLoop::Writable;
    client->loop_.watch(socket, events, [client, socket](std::uint32_t ready) {
        int mask = 0;
        if (ready & loop::EventLoop::Readable) mask |= CURL_CSELECT_IN;
        if (ready & loop::EventLoop::Writable) mask |= CURL_CSELECT_OUT;
        if (ready & loop::EventLoop::Error) mask |= CURL_CSELECT_ERR;
        client->socket_action(socket, mask);
    });
    return 0;
}

int HttpClient::on_timer(CURLM*, long timeout_ms, void* self) {
    auto* client = static_cast<HttpClient*>(self);
    if (timeout_ms < 0) {
        client->timer_.cancel();
        return 0;
    }
    client->timer_.start(std::chrono::milliseconds(timeout_ms),
                         [client]() { client->socket_action(CURL_SOCKET_TIMEOUT, 0); });
    return 0;
}

size_t HttpClient::on_write(char* data, size_t size, size_t count, void* opaque) {
    auto* transfer = static_cast<Transfer*>(opaque);
    size_t bytes = size * count;
    if (transfer->cancelled) return 0;
    if (transfer->request.on_chunk) {
        long status = 0;
        curl_easy_getinfo(transfer->easy.get(), CURLINFO_RESPONSE_CODE, &status);
        // Only a successful stream is data; an error page is kept as the body.
        if (status >= 200 && status < 300) {
            transfer->request.on_chunk(std::string_view(data, bytes));
            return transfer->cancelled ? 0 : bytes;
        }
    }
    constexpr size_t kMaxBody = 8 * 1024 * 1024;
    if (transfer->response.body.size() + bytes > kMaxBody) return 0;
    transfer->response.body.append(data, bytes);
    return bytes;
}

void HttpClient::socket_action(curl_socket_t socket, int mask) {
    int running = 0;
    ++in_callback_;
    curl_multi_socket_action(multi_.get(), socket, mask, &running);
    --in_callback_;
    collect_finished();
    // Transfers cancelled from inside libcurl's callbacks are removed now that it is safe.
    std::vector<Transfer*> cancelled;
    for (auto& [id, transfer] : by_id_) {
        if (transfer->cancelled) cancelled.push_back(transfer.get());
    }
    for (Transfer* transfer : cancelled) remove(*transfer);
}

void HttpClient::collect_finished() {
    std::vector<RequestId> finished;
    int pending = 0;
    while (CURLMsg* message = curl_multi_info_read(multi_.get(), &pending)) {
        if (message->msg != CURLMSG_DONE) continue;
        Transfer* transfer = nullptr;
        curl_easy_getinfo(message->easy_handle, CURLINFO_PRIVATE, reinterpret_cast<char**>(&transfer));
        CURLcode result = message->data.result;
        curl_easy_getinfo(transfer->easy.get(), CURLINFO_RESPONSE_CODE, &transfer->response.status);
        if (transfer->request.learn_key) transfer->response.peer_key = peer_key(transfer->easy.get());
        char* content_type = nullptr;
        if (curl_easy_getinfo(transfer->easy.get(), CURLINFO_CONTENT_TYPE, &content_type) == CURLE_OK && content_type) {
            transfer->response.content_type = content_type;
        }
        if (result != CURLE_OK && !transfer->cancelled) {
            transfer->response.error = transfer->error_buffer[0] != '\0' ? transfer->error_buffer : curl_easy_strerror(result);
            if (result == CURLE_WRITE_ERROR) transfer->response.error = "response too large";
        }
        finished.push_back(transfer->id);
    }
    // Callbacks run after the message queue is drained: they may start or cancel requests,
    // including others in this batch, so each one is looked up again.
    for (RequestId id : finished) {
        auto found = by_id_.find(id);
        if (found == by_id_.end()) continue;
        Transfer* transfer = found->second.get();
        bool cancelled = transfer->cancelled;
        DoneCallback done = std::move(transfer->on_done);
        HttpResponse response = std::move(transfer->response);
        remove(*transfer);
        if (!cancelled && done) done(std::move(response));
    }
}

}  // namespace envoy
