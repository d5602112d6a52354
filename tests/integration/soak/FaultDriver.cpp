// tests/integration/soak: the fault directives and their random mix; posting them with libcurl.
#include "FaultDriver.hpp"

#include <curl/curl.h>

#include <array>
#include <stdexcept>

namespace soak {

namespace {

std::size_t collect(char* data, std::size_t size, std::size_t count, void* out) {
    static_cast<std::string*>(out)->append(data, size * count);
    return size * count;
}

const std::array<const char*, 6> kPolled = {"/ivp/meters/readings", "/production.json", "/api/v1/production",
                                            "/api/v1/production/inverters", "/inventory.json", "/ivp/meters"};

}  // namespace

void post_fault(const std::string& base_url, const std::string& directives) {
    CURL* curl = curl_easy_init();
    if (!curl) throw std::runtime_error("curl_easy_init failed");
    std::string body;
    const std::string url = base_url + "/__sim/fault";
    curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, directives.c_str());
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 0L);  // the simulator's self-signed certificate
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 0L);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT, 10L);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, collect);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &body);
    const CURLcode result = curl_easy_perform(curl);
    long status = 0;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    curl_easy_cleanup(curl);
    if (result != CURLE_OK) throw std::runtime_error("POST " + url + ": " + curl_easy_strerror(result));
    if (status != 200) throw std::runtime_error("POST " + url + " '" + directives + "': " + std::to_string(status) + " " + body);
}

Action FaultMix::next() {
    const std::string polled = kPolled[static_cast<std::size_t>(uniform(0, kPolled.size() - 1))];
    switch (uniform(0, 11)) {
        case 0: return {Action::Kind::Fault, "stall-after=" + std::to_string(uniform(0, 30))};
        case 1: return {Action::Kind::Fault, "close-after=" + std::to_string(uniform(0, 30))};
        case 2: return {Action::Kind::Fault, "fail=/stream/meter=" + std::string(uniform(0, 1) ? "401" : "500")};
        case 3: return {Action::Kind::Fault, "fail=" + polled + "=" + (uniform(0, 1) ? "401" : "500")};
        case 4: return {Action::Kind::Fault, "malformed=/stream/meter"};
        case 5: return {Action::Kind::Fault, "malformed=" + polled};
        case 6: return {Action::Kind::Fault, "delay-ms=" + polled + "=" + std::to_string(uniform(500, 4000))};
        case 7: return {Action::Kind::Fault, "delay-ms=/stream/meter=" + std::to_string(uniform(500, 4000))};
        case 8: return {Action::Kind::BrokerRestart, {}};
        default: return {Action::Kind::Fault, "clear"};  // a third of the steps: the gateway recovers
    }
}

int FaultMix::pause_ms() { return uniform(200, 3000); }

}  // namespace soak
