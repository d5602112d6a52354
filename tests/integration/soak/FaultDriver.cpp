// tests/integration/soak: the fault directives and their random mix; posting them to the simulator.
#include "FaultDriver.hpp"

#include "Http.hpp"

#include <array>
#include <stdexcept>

namespace soak {

namespace {

const std::array<const char*, 6> kPolled = {"/ivp/meters/readings", "/production.json", "/api/v1/production",
                                            "/api/v1/production/inverters", "/inventory.json", "/ivp/meters"};

}  // namespace

void post_fault(const std::string& base_url, const std::string& directives) {
    const std::string url = base_url + "/__sim/fault";
    const auto answer = testsupport::post(url, directives);
    if (answer.code != CURLE_OK) throw std::runtime_error("POST " + url + ": " + curl_easy_strerror(answer.code));
    if (answer.status != 200) {
        throw std::runtime_error("POST " + url + " '" + directives + "': " + std::to_string(answer.status) + " " + answer.body);
    }
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
