// envoy: the endpoint families of the [DATA] fetches, each its path and its parser, and the
// unit that reads one of them and delivers the parsed model value. Adding a family (batteries,
// power limits) is one more Endpoint constant here and one make_unit() call where it is wired.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string_view>

#include "envoy/EndpointUnit.hpp"
#include "envoy/parsers/Inventory.hpp"
#include "envoy/parsers/Production.hpp"

namespace envoy {

template <class Value>
struct Endpoint {
    std::string_view path;
    Value (*parse)(std::string_view body);  // throws parse::ParseError
};

inline constexpr Endpoint<model::InverterReports> kInverterReports{"/api/v1/production/inverters", &parse::inverters};
inline constexpr Endpoint<model::Devices> kInventory{"/inventory.json", &parse::inventory};
inline constexpr Endpoint<model::Events> kEvents{"/datatab/event_dt.rb?start=0&length=10", &parse::events};

template <class Value>
std::unique_ptr<EndpointUnit> make_unit(loop::EventLoop& loop, Client& client, const Endpoint<Value>& endpoint,
                                        std::chrono::seconds interval, std::function<void(Value)> deliver) {
    return std::make_unique<EndpointUnit>(loop, client, std::string(endpoint.path), interval,
                                          [parse = endpoint.parse, deliver = std::move(deliver)](std::string_view body) {
                                              deliver(parse(body));
                                          });
}

}  // namespace envoy
