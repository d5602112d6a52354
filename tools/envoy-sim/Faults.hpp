// envoy-sim: the fault injection table (fail, malformed, delay per path; stall/close of the
// stream) and the hostile modes of a broken or malicious device at the gateway's address (a
// serial that is not one, HTML or deeply nested JSON among valid answers, lifetime counters read
// as zero, an event line that never ends), set from the command line and changed at runtime
// through POST /__sim/fault.
#pragma once

#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>

#include "util/Problem.hpp"

namespace sim {

class Faults {
public:
    // Applies one directive; returns an error message naming the problem, or "" on success.
    //   fail=PATH=CODE   answer CODE on PATH          malformed=PATH   truncated JSON on PATH
    //   delay-ms=PATH=MS delay answers on PATH        stall-after=N    streams go silent after N events
    //   close-after=N    streams close after N events clear            remove every fault
    // Hostile modes:
    //   serial=TEXT      /info names this serial (\xNN escapes allowed, e.g. 12\xff\xfe34)
    //   html=PATH=N      the next N answers on PATH are an HTML page (status 200)
    //   deep=PATH=N      the next N answers on PATH are JSON nested 100000 levels deep
    //   zero-counters=N  the next N readings answers give 0 for every lifetime counter
    //   endless-event    streams send one event line that never ends
    util::Problem apply(const std::string& directive);
    // Applies each non-empty line of text; stops at the first problem and returns it.
    util::Problem apply_lines(const std::string& text);

    std::optional<int> fail_code(const std::string& path) const;
    bool malformed(const std::string& path) const;
    int delay_ms(const std::string& path) const;
    // Negative when not set.
    long stall_after() const;
    long close_after() const;
    std::optional<std::string> serial() const;
    // Whether this answer on path is to be hostile (each call uses one of the N).
    bool take_html(const std::string& path);
    bool take_deep(const std::string& path);
    bool take_zero_counters();
    bool endless_event() const;

private:
    mutable std::mutex mutex_;
    std::map<std::string, int> fail_;
    std::set<std::string> malformed_;
    std::map<std::string, int> delay_;
    long stall_after_ = -1;
    long close_after_ = -1;
    std::optional<std::string> serial_;
    std::map<std::string, long> html_;
    std::map<std::string, long> deep_;
    long zero_counters_ = 0;
    bool endless_event_ = false;
};

}  // namespace sim
