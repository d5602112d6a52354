// log: writes whole lines to stderr so lines from one process never interleave; control
// characters are escaped and long messages cut, so text from the gateway cannot break the log.
#include "log/Log.hpp"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <string>

namespace logging {
namespace {
std::atomic<Level> current_level{Level::Info};
}

void set_level(Level level) { current_level.store(level, std::memory_order_relaxed); }
Level level() { return current_level.load(std::memory_order_relaxed); }

std::string_view to_string(Level level) {
    switch (level) {
        case Level::Error: return "ERROR";
        case Level::Warning: return "WARNING";
        case Level::Info: return "INFO";
        case Level::Debug: return "DEBUG";
    }
    return "?";
}

void write(Level level, std::string_view message) {
    // Messages carry text from the gateway: one readable line each, whatever it sent.
    constexpr std::size_t kMaxMessage = 2000;
    static constexpr char kHex[] = "0123456789abcdef";
    std::string line;
    line.reserve(std::min(message.size(), kMaxMessage) + 40);
    line.append(to_string(level)).append(": ");
    const std::size_t shown = std::min(message.size(), kMaxMessage);
    for (std::size_t i = 0; i < shown; ++i) {
        const auto c = static_cast<unsigned char>(message[i]);
        if (c < 0x20 || c == 0x7f) {
            line.append("\\x").push_back(kHex[c >> 4]);
            line.push_back(kHex[c & 0xf]);
        } else {
            line.push_back(static_cast<char>(c));
        }
    }
    if (shown < message.size()) line.append(" ... (").append(std::to_string(message.size() - shown)).append(" more bytes)");
    line.push_back('\n');
    const char* data = line.data();
    size_t left = line.size();
    while (left > 0) {
        ssize_t written = ::write(STDERR_FILENO, data, left);
        if (written <= 0) return;
        data += written;
        left -= static_cast<size_t>(written);
    }
}

}  // namespace logging
