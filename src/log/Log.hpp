// log: the process-wide logger.
//
// One line per message on stderr ("LEVEL: message"), which daemontools' multilog timestamps
// on a GX device. The level comes from [DEFAULT] logging. Messages are built only when their
// level is enabled, so DEBUG lines cost nothing in normal operation. Control characters are
// written as \xNN and a message is cut after 2000 bytes, so gateway-supplied text keeps the log
// readable. Callers must never pass secrets (tokens, passwords) to it.
#pragma once

#include <sstream>
#include <string_view>

namespace logging {

enum class Level { Error = 0, Warning = 1, Info = 2, Debug = 3 };

void set_level(Level level);
Level level();
inline bool enabled(Level wanted) { return static_cast<int>(wanted) <= static_cast<int>(level()); }
void write(Level level, std::string_view message);
std::string_view to_string(Level level);

}  // namespace logging

#define EE_LOG(level, expr)                                    \
    do {                                                       \
        if (::logging::enabled(level)) {                       \
            std::ostringstream ee_log_stream_;                 \
            ee_log_stream_ << expr;                            \
            ::logging::write(level, ee_log_stream_.str());     \
        }                                                      \
    } while (0)

#define LOG_ERROR(expr) EE_LOG(::logging::Level::Error, expr)
#define LOG_WARNING(expr) EE_LOG(::logging::Level::Warning, expr)
#define LOG_INFO(expr) EE_LOG(::logging::Level::Info, expr)
#define LOG_DEBUG(expr) EE_LOG(::logging::Level::Debug, expr)
