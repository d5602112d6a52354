// tests/integration/soak: injects faults into the simulator through POST /__sim/fault (libcurl)
// and picks them at random from a seeded generator, so a run can be repeated by its seed.
#pragma once

#include <random>
#include <string>
#include <vector>

namespace soak {

// Posts one or more directives ("fail=/ivp/meters/readings=500", "clear", ...) to the
// simulator at base_url; throws std::runtime_error unless it answers 200.
void post_fault(const std::string& base_url, const std::string& directives);

// One step of the soak: either a simulator directive or a broker restart.
struct Action {
    enum class Kind { Fault, BrokerRestart } kind = Kind::Fault;
    std::string directive;  // for Fault
    std::string describe() const { return kind == Kind::Fault ? directive : "broker restart"; }
};

class FaultMix {
public:
    explicit FaultMix(unsigned seed) : random_(seed) {}
    // The next random action: stalls, closes, 401, 500, malformed JSON and slow answers on the
    // stream and the polled endpoints, clears, and broker restarts.
    Action next();
    // A pause before the next action, in milliseconds.
    int pause_ms();

private:
    int uniform(int low, int high) { return std::uniform_int_distribution<int>(low, high)(random_); }
    std::mt19937 random_;
};

}  // namespace soak
