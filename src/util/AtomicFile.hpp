// util: writing files so that a power cut never leaves a half-written one.
//
// write_atomic() writes to a temporary file in the same directory, fsyncs it, renames it over
// the target and fsyncs the directory. Used for the token cache, the energy counters and the
// GUI-written settings.
#pragma once

#include <optional>
#include <string>
#include <sys/types.h>

#include "util/Problem.hpp"

namespace util {

// Replaces path with content, creating it with the given mode (0600 for files with secrets).
[[nodiscard]] Problem write_atomic(const std::string& path, const std::string& content, mode_t mode = 0644);

// The temporary file of path is path + kTemporarySuffix + 6 random characters.
inline constexpr const char* kTemporarySuffix = ".tmp-";

// Removes the temporary files a write_atomic() of path left behind when it was interrupted (a
// power cut, a kill); call it at start, before writing path. Returns how many it removed.
int remove_stale_temporaries(const std::string& path);

// Reads a whole file; nullopt when it does not exist or cannot be read.
std::optional<std::string> read_whole_file(const std::string& path);

}  // namespace util
