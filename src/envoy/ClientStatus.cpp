// envoy: ClientStatus implementation.
#include "envoy/ClientStatus.hpp"

namespace envoy {

std::string ClientStatus::connection() const {
    if (base_url.empty()) return "none";
    return base_url + " (" + (problem.empty() ? std::string(model::to_string(source)) : problem) + ")";
}

}  // namespace envoy
