// envoy: EndpointPresence implementation.
#include "envoy/EndpointPresence.hpp"

namespace envoy {

bool EndpointPresence::worth_asking(unsigned connections) {
    if (absent_since_ == connections) return false;
    absent_since_.reset();
    return true;
}

bool EndpointPresence::absent_after(long status, unsigned connections) {
    if (status >= 200 && status < 300) answered_ = true;
    if (answered_ || (status != 404 && status != 401)) return false;
    absent_since_ = connections;
    return true;
}

}  // namespace envoy
