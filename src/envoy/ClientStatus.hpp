// envoy: what the gateway client tells about its connection: the gateway, the token, the
// data source and why no data may flow; and the one line /Mgmt/Connection shows of it.
#pragma once

#include <optional>
#include <string>

#include "model/Gateway.hpp"
#include "model/Snapshot.hpp"

namespace envoy {

struct ClientStatus {
    model::GatewayInfo gateway;
    std::optional<model::TokenInfo> token;  // token firmware only
    model::Source source = model::Source::None;
    bool token_access = false;              // talked to as token firmware (a forced [ENVOY] firmware wins over /info)
    std::string base_url;                   // "https://192.168.1.50"
    std::string problem;                    // why no data may flow, e.g. the gateway's key changed
    int meters_enabled = 0;                 // enabled production / consumption meters
    // "https://192.168.1.50 (stream)", or with the problem instead of the source, for /Mgmt/Connection.
    std::string connection() const;
};

}  // namespace envoy
