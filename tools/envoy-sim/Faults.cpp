// envoy-sim: parsing and lookup of fault directives, guarded by a mutex for runtime changes.
#include "Faults.hpp"

#include <charconv>
#include <sstream>

namespace sim {

namespace {

bool parse_number(const std::string& text, long min, long max, long& out) {
    const char* end = text.data() + text.size();
    auto [ptr, ec] = std::from_chars(text.data(), end, out);
    return ec == std::errc() && ptr == end && !text.empty() && out >= min && out <= max;
}

std::string trim(const std::string& s) {
    auto b = s.find_first_not_of(" \t\r\n");
    if (b == std::string::npos) return {};
    auto e = s.find_last_not_of(" \t\r\n");
    return s.substr(b, e - b + 1);
}

// Splits "PATH=VALUE" at the last '='; false when PATH does not start with '/'.
bool split_path_value(const std::string& arg, std::string& path, std::string& value) {
    auto eq = arg.rfind('=');
    if (eq == std::string::npos) return false;
    path = arg.substr(0, eq);
    value = arg.substr(eq + 1);
    return !path.empty() && path[0] == '/';
}

}  // namespace

std::string Faults::apply(const std::string& raw) {
    std::string directive = trim(raw);
    if (directive == "clear") {
        std::lock_guard lock(mutex_);
        fail_.clear();
        malformed_.clear();
        delay_.clear();
        stall_after_ = close_after_ = -1;
        return {};
    }
    auto eq = directive.find('=');
    if (eq == std::string::npos) return "fault directive without '=': '" + directive + "'";
    std::string kind = directive.substr(0, eq);
    std::string arg = directive.substr(eq + 1);
    std::string path, value;
    long n = 0;
    std::lock_guard lock(mutex_);
    if (kind == "fail") {
        if (!split_path_value(arg, path, value) || !parse_number(value, 100, 599, n)) {
            return "fail needs PATH=CODE with PATH starting with '/' and CODE 100..599: '" + arg + "'";
        }
        fail_[path] = static_cast<int>(n);
    } else if (kind == "delay-ms") {
        if (!split_path_value(arg, path, value) || !parse_number(value, 0, 3600000, n)) {
            return "delay-ms needs PATH=MS with PATH starting with '/' and MS 0..3600000: '" + arg + "'";
        }
        delay_[path] = static_cast<int>(n);
    } else if (kind == "malformed") {
        if (arg.empty() || arg[0] != '/') return "malformed needs a PATH starting with '/': '" + arg + "'";
        malformed_.insert(arg);
    } else if (kind == "stall-after" || kind == "close-after") {
        if (!parse_number(arg, 0, 1L << 40, n)) return kind + " needs a number of events >= 0: '" + arg + "'";
        (kind == "stall-after" ? stall_after_ : close_after_) = n;
    } else {
        return "unknown fault '" + kind + "' (fail, malformed, delay-ms, stall-after, close-after, clear)";
    }
    return {};
}

std::string Faults::apply_lines(const std::string& text) {
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line)) {
        if (trim(line).empty()) continue;
        if (auto err = apply(line); !err.empty()) return err;
    }
    return {};
}

std::optional<int> Faults::fail_code(const std::string& path) const {
    std::lock_guard lock(mutex_);
    auto it = fail_.find(path);
    if (it == fail_.end()) return std::nullopt;
    return it->second;
}

bool Faults::malformed(const std::string& path) const {
    std::lock_guard lock(mutex_);
    return malformed_.count(path) > 0;
}

int Faults::delay_ms(const std::string& path) const {
    std::lock_guard lock(mutex_);
    auto it = delay_.find(path);
    return it == delay_.end() ? 0 : it->second;
}

long Faults::stall_after() const {
    std::lock_guard lock(mutex_);
    return stall_after_;
}

long Faults::close_after() const {
    std::lock_guard lock(mutex_);
    return close_after_;
}

}  // namespace sim
