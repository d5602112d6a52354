// envoy: a source of meter snapshots (the stream, readings polling, inverter reports).
//
// A source starts when constructed-and-started and stops when destroyed. It reports each
// snapshot as soon as it is parsed, and a failure once when it can no longer deliver (the
// Client then falls back to the next source). Sources never log snapshots' values.
#pragma once

#include <functional>
#include <string>

#include "model/Gateway.hpp"
#include "model/Snapshot.hpp"

namespace envoy {

struct SourceFailure {
    std::string reason;         // one line for the log
    bool unauthorized = false;  // the gateway answered 401
    bool unreachable = false;   // no HTTP answer at all (refused, reset, timed out)
};

struct SourceCallbacks {
    std::function<void(const model::Snapshot&)> on_snapshot;
    std::function<void(const SourceFailure&)> on_failure;
};

class Source {
public:
    virtual ~Source() = default;
    virtual model::Source kind() const = 0;
    virtual void start() = 0;
};

}  // namespace envoy
