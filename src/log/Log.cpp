// log: writes whole lines to stderr so lines from one process never interleave.
#include "log/Log.hpp"

#include <unistd.h>

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
    std::string line;
    line.reserve(message.size() + 10);
    line.append(to_string(level)).append(": ").append(message).push_back('\n');
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
