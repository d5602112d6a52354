// tests/integration/sim: envoy-sim process control and the libcurl request helpers.
#include "SimHarness.hpp"

#include <algorithm>
#include <cctype>

namespace simtest {

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

void apply_auth(CURL* c, const Auth& auth, curl_slist** headers) {
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 0L);
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 0L);
    if (!auth.bearer.empty()) {
        *headers = curl_slist_append(*headers, ("Authorization: Bearer " + auth.bearer).c_str());
    }
    if (!auth.cookie.empty()) curl_easy_setopt(c, CURLOPT_COOKIE, auth.cookie.c_str());
    if (!auth.digest_user.empty()) {
        curl_easy_setopt(c, CURLOPT_HTTPAUTH, CURLAUTH_DIGEST);
        curl_easy_setopt(c, CURLOPT_USERNAME, auth.digest_user.c_str());
        curl_easy_setopt(c, CURLOPT_PASSWORD, auth.digest_password.c_str());
    }
    if (*headers) curl_easy_setopt(c, CURLOPT_HTTPHEADER, *headers);
}

double elapsed(CURL* c) {
    double t = 0;
    curl_easy_getinfo(c, CURLINFO_TOTAL_TIME, &t);
    return t;
}

}  // namespace

std::string capture(const std::string& name) { return testsupport::test_data("envoy/" + name); }

Sim::Sim(std::vector<std::string> args) {
    args.insert(args.begin(), testsupport::built("tools/envoy-sim/envoy-sim"));
    process_ = std::make_unique<testsupport::Process>(std::move(args));
    if (auto url = process_->wait_for_match(R"(envoy-sim listening on (\S+))", 10s)) url_ = *url;
}

std::string run_sim(std::vector<std::string> args, int* exit_code) {
    args.insert(args.begin(), testsupport::built("tools/envoy-sim/envoy-sim"));
    testsupport::Process p(std::move(args));
    auto code = p.wait_exit(10s);
    if (exit_code) *exit_code = code.value_or(-1);
    std::string out = p.output();
    while (!out.empty() && std::isspace(static_cast<unsigned char>(out.back()))) out.pop_back();
    return out;
}

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
    CURL* c = curl_easy_init();
    curl_slist* headers = nullptr;
    apply_auth(c, auth, &headers);
    curl_easy_setopt(c, CURLOPT_URL, url.c_str());
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout.count()));
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, append);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &r.body);
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, append);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, &r.headers);
    r.code = curl_easy_perform(c);
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r.status);
    r.seconds = elapsed(c);
    curl_slist_free_all(headers);
    curl_easy_cleanup(c);
    return r;
}

Response post(const std::string& url, const std::string& body) {
    Response r;
    CURL* c = curl_easy_init();
    curl_slist* headers = nullptr;
    apply_auth(c, {}, &headers);
    curl_easy_setopt(c, CURLOPT_URL, url.c_str());
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, body.c_str());
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, 10000L);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, append);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &r.body);
    r.code = curl_easy_perform(c);
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r.status);
    curl_easy_cleanup(c);
    return r;
}

namespace {

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

StreamResult read_stream(const std::string& url, const Auth& auth, std::size_t max_events,
                         std::chrono::milliseconds timeout, const std::function<void(std::size_t)>& on_event) {
    StreamResult r;
    StreamState st{{}, &r, max_events, &on_event};
    CURL* c = curl_easy_init();
    curl_slist* headers = nullptr;
    apply_auth(c, auth, &headers);
    curl_easy_setopt(c, CURLOPT_URL, url.c_str());
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout.count()));
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_stream_data);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &st);
    r.code = curl_easy_perform(c);
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r.status);
    r.seconds = elapsed(c);
    curl_slist_free_all(headers);
    curl_easy_cleanup(c);
    return r;
}

}  // namespace simtest
