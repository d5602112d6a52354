// envoy: whether the gateway has an endpoint, from its answers (pure). A 404 or 401 before the
// endpoint ever answered means it is not there, until the gateway is probed again (a new
// Client::connections()); once it answered, the gateway has it and errors are just failures.
#pragma once

#include <optional>

namespace envoy {

class EndpointPresence {
public:
    // Whether to ask the endpoint now, the client being at this count of connections.
    bool worth_asking(unsigned connections);
    // An answer with this HTTP status (0: none) arrived. True when it says the endpoint is not
    // on this gateway; it is then not worth asking until the next connection.
    bool absent_after(long status, unsigned connections);

private:
    bool answered_ = false;                 // it answered at least once: the gateway has it
    std::optional<unsigned> absent_since_;  // not on this gateway as of this connection
};

}  // namespace envoy
