// envoy-sim: parsing and lookup of fault directives, guarded by a mutex for runtime changes.
#include "Faults.hpp"

#include "util/Text.hpp"

#include <charconv>
#include <sstream>

namespace sim {

namespace {

bool parse_number(const std::string& text, long min, long max, long& out) {
    const char* end = text.data() + text.size();
    auto [ptr, ec] = std::from_chars(text.data(), end, out);
    return ec == std::errc() && ptr == end && !text.empty() && out >= min && out <= max;
}

bool parse_number_hex(const std::string& text, long& out) {
    const char* end = text.data() + text.size();
    auto [ptr, ec] = std::from_chars(text.data(), end, out, 16);
    return ec == std::errc() && ptr == end && text.size() == 2;
}

// Splits "PATH=VALUE" at the last '='; false when PATH does not start with '/'.
bool split_path_value(const std::string& arg, std::string& path, std::string& value) {
    auto eq = arg.rfind('=');
    if (eq == std::string::npos) return false;
    path = arg.substr(0, eq);
    value = arg.substr(eq + 1);
    return !path.empty() && path[0] == '/';
}

// "\xNN" escapes to bytes; false on a broken escape.
bool unescape(const std::string& text, std::string& out) {
    out.clear();
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] != '\\') {
            out.push_back(text[i]);
            continue;
        }
        long byte = 0;
        if (i + 3 >= text.size() || text[i + 1] != 'x' || !parse_number_hex(text.substr(i + 2, 2), byte)) return false;
        out.push_back(static_cast<char>(byte));
        i += 3;
    }
    return true;
}

bool take(std::map<std::string, long>& counts, const std::string& path) {
    auto it = counts.find(path);
    if (it == counts.end() || it->second <= 0) return false;
    if (--it->second == 0) counts.erase(it);
    return true;
}

}  // namespace

util::Problem Faults::apply(const std::string& raw) {
    std::string directive(util::trim(raw));
    if (directive == "clear") {
        std::lock_guard lock(mutex_);
        fail_.clear();
        malformed_.clear();
        delay_.clear();
        stall_after_ = close_after_ = -1;
        serial_.reset();
        html_.clear();
        deep_.clear();
        zero_counters_ = 0;
        endless_event_ = false;
        return std::nullopt;
    }
    if (directive == "endless-event") {
        std::lock_guard lock(mutex_);
        endless_event_ = true;
        return std::nullopt;
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
    } else if (kind == "serial") {
        std::string bytes;
        if (arg.empty() || !unescape(arg, bytes)) return "serial needs TEXT (\\xNN escapes allowed): '" + arg + "'";
        serial_ = bytes;
    } else if (kind == "html" || kind == "deep") {
        if (!split_path_value(arg, path, value) || !parse_number(value, 1, 1L << 40, n)) {
            return kind + " needs PATH=N with PATH starting with '/' and N >= 1: '" + arg + "'";
        }
        (kind == "html" ? html_ : deep_)[path] = n;
    } else if (kind == "zero-counters") {
        if (!parse_number(arg, 1, 1L << 40, n)) return "zero-counters needs a number of answers >= 1: '" + arg + "'";
        zero_counters_ = n;
    } else {
        return "unknown fault '" + kind +
               "' (fail, malformed, delay-ms, stall-after, close-after, serial, html, deep, zero-counters, "
               "endless-event, clear)";
    }
    return std::nullopt;
}

util::Problem Faults::apply_lines(const std::string& text) {
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line)) {
        if (util::trim(line).empty()) continue;
        if (auto problem = apply(line)) return problem;
    }
    return std::nullopt;
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

std::optional<std::string> Faults::serial() const {
    std::lock_guard lock(mutex_);
    return serial_;
}

bool Faults::take_html(const std::string& path) {
    std::lock_guard lock(mutex_);
    return take(html_, path);
}

bool Faults::take_deep(const std::string& path) {
    std::lock_guard lock(mutex_);
    return take(deep_, path);
}

bool Faults::take_zero_counters() {
    std::lock_guard lock(mutex_);
    if (zero_counters_ <= 0) return false;
    --zero_counters_;
    return true;
}

bool Faults::endless_event() const {
    std::lock_guard lock(mutex_);
    return endless_event_;
}

}  // namespace sim
