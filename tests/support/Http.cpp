// tests/support: the libcurl requests of Http.hpp, with owned handles (envoy/CurlHandles.hpp).
#include "Http.hpp"

#include <algorithm>
#include <cctype>

#include "envoy/CurlHandles.hpp"

namespace testsupport {
namespace {

struct CurlGlobal {
    CurlGlobal() { curl_global_init(CURL_GLOBAL_DEFAULT); }
    ~CurlGlobal() { curl_global_cleanup(); }
};
const CurlGlobal curl_global;

size_t append(char* data, size_t size, size_t n, void* out) {
    static_cast<std::string*>(out)->append(data, size * n);
    return size * n;
}

// A request to the simulator: its URL, its credentials, no certificate check.
envoy::curl::Easy request(const std::string& url, const Auth& auth, envoy::curl::List& headers) {
    envoy::curl::Easy easy(curl_easy_init());
    CURL* c = easy.get();
    curl_easy_setopt(c, CURLOPT_URL, url.c_str());
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 0L);
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 0L);
    if (!auth.bearer.empty()) envoy::curl::append(headers, ("Authorization: Bearer " + auth.bearer).c_str());
    if (!auth.cookie.empty()) curl_easy_setopt(c, CURLOPT_COOKIE, auth.cookie.c_str());
    if (!auth.digest_user.empty()) {
        curl_easy_setopt(c, CURLOPT_HTTPAUTH, CURLAUTH_DIGEST);
        curl_easy_setopt(c, CURLOPT_USERNAME, auth.digest_user.c_str());
        curl_easy_setopt(c, CURLOPT_PASSWORD, auth.digest_password.c_str());
    }
    if (headers) curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers.get());
    return easy;
}

template <class Result>
void finish(CURL* c, Result& result) {
    result.code = curl_easy_perform(c);
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &result.status);
    curl_easy_getinfo(c, CURLINFO_TOTAL_TIME, &result.seconds);
}

struct StreamState {
    std::string buffer;
    StreamResult* result;
    std::size_t max_events;
    const std::function<void(std::size_t)>* on_event;
};

size_t on_stream_data(char* data, size_t size, size_t n, void* user) {
    auto* st = static_cast<StreamState*>(user);
    st->buffer.append(data, size * n);
    std::size_t end;
    while ((end = st->buffer.find("\n\n")) != std::string::npos) {
        std::string block = st->buffer.substr(0, end);
        st->buffer.erase(0, end + 2);
        if (block.rfind("data: ", 0) == 0) {
            st->result->events.push_back(block.substr(6));
            if (*st->on_event) (*st->on_event)(st->result->events.size());
        }
    }
    return st->result->events.size() >= st->max_events ? 0 : size * n;
}

}  // namespace

std::string Response::header(const std::string& name) const {
    auto lower = [](std::string s) {
        std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
        return s;
    };
    std::string all = lower(headers);
    std::string key = "\n" + lower(name) + ":";
    auto pos = ("\n" + all).find(key);
    if (pos == std::string::npos) return {};
    auto start = pos + key.size() - 1;
    auto end = headers.find("\r\n", start);
    std::string value = headers.substr(start, end == std::string::npos ? std::string::npos : end - start);
    auto b = value.find_first_not_of(' ');
    return b == std::string::npos ? std::string() : value.substr(b);
}

Response get(const std::string& url, const Auth& auth, std::chrono::milliseconds timeout) {
    Response r;
    envoy::curl::List headers;
    auto easy = request(url, auth, headers);
    curl_easy_setopt(easy.get(), CURLOPT_TIMEOUT_MS, static_cast<long>(timeout.count()));
    curl_easy_setopt(easy.get(), CURLOPT_WRITEFUNCTION, append);
    curl_easy_setopt(easy.get(), CURLOPT_WRITEDATA, &r.body);
    curl_easy_setopt(easy.get(), CURLOPT_HEADERFUNCTION, append);
    curl_easy_setopt(easy.get(), CURLOPT_HEADERDATA, &r.headers);
    finish(easy.get(), r);
    return r;
}

Response post(const std::string& url, const std::string& body) { return send("POST", url, body, {}); }

Response send(const std::string& method, const std::string& url, const std::string& body, const Auth& auth) {
    Response r;
    envoy::curl::List headers;
    auto easy = request(url, auth, headers);
    curl_easy_setopt(easy.get(), CURLOPT_POSTFIELDS, body.c_str());
    if (method != "POST") curl_easy_setopt(easy.get(), CURLOPT_CUSTOMREQUEST, method.c_str());
    curl_easy_setopt(easy.get(), CURLOPT_TIMEOUT_MS, 10000L);
    curl_easy_setopt(easy.get(), CURLOPT_WRITEFUNCTION, append);
    curl_easy_setopt(easy.get(), CURLOPT_WRITEDATA, &r.body);
    finish(easy.get(), r);
    return r;
}

StreamResult read_stream(const std::string& url, const Auth& auth, std::size_t max_events,
                         std::chrono::milliseconds timeout, const std::function<void(std::size_t)>& on_event) {
    StreamResult r;
    StreamState st{{}, &r, max_events, &on_event};
    envoy::curl::List headers;
    auto easy = request(url, auth, headers);
    curl_easy_setopt(easy.get(), CURLOPT_TIMEOUT_MS, static_cast<long>(timeout.count()));
    curl_easy_setopt(easy.get(), CURLOPT_WRITEFUNCTION, on_stream_data);
    curl_easy_setopt(easy.get(), CURLOPT_WRITEDATA, &st);
    finish(easy.get(), r);
    return r;
}

}  // namespace testsupport
