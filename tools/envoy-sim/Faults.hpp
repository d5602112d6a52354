// envoy-sim: the fault injection table (fail, malformed, delay per path; stall/close of the
// stream), set from the command line and changed at runtime through POST /__sim/fault.
#pragma once

#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>

namespace sim {

class Faults {
public:
    // Applies one directive; returns an error message naming the problem, or "" on success.
    //   fail=PATH=CODE   answer CODE on PATH          malformed=PATH   truncated JSON on PATH
    //   delay-ms=PATH=MS delay answers on PATH        stall-after=N    streams go silent after N events
    //   close-after=N    streams close after N events clear            remove every fault
    std::string apply(const std::string& directive);
    // Applies each non-empty line of text; stops at the first error and returns it.
    std::string apply_lines(const std::string& text);

    std::optional<int> fail_code(const std::string& path) const;
    bool malformed(const std::string& path) const;
    int delay_ms(const std::string& path) const;
    // Negative when not set.
    long stall_after() const;
    long close_after() const;

private:
    mutable std::mutex mutex_;
    std::map<std::string, int> fail_;
    std::set<std::string> malformed_;
    std::map<std::string, int> delay_;
    long stall_after_ = -1;
    long close_after_ = -1;
};

}  // namespace sim
