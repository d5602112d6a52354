// envoy/parsers: the one exception every parser throws on input it cannot use.
#pragma once

#include <stdexcept>
#include <string>

namespace envoy::parse {

// Thrown on malformed gateway input. The message names the endpoint and the problem, e.g.
// "/ivp/meters/readings: expected an array", and never contains secrets (tokens).
class ParseError : public std::runtime_error {
public:
    explicit ParseError(const std::string& message) : std::runtime_error(message) {}
};

}  // namespace envoy::parse
