// util: implementation of the atomic file write (temp file, fsync, rename, fsync directory).
#include "util/AtomicFile.hpp"
#include "util/UniqueFd.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace util {
namespace {

std::string directory_of(const std::string& path) {
    auto slash = path.rfind('/');
    if (slash == std::string::npos) return ".";
    if (slash == 0) return "/";
    return path.substr(0, slash);
}

std::string failure(const std::string& what, const std::string& path) {
    return what + " " + path + ": " + std::strerror(errno);
}

}  // namespace

Problem write_atomic(const std::string& path, const std::string& content, mode_t mode) {
    std::string temp = path + kTemporarySuffix + "XXXXXX";
    UniqueFd fd(::mkostemp(temp.data(), O_CLOEXEC));
    if (!fd.valid()) return failure("cannot create a temporary file for", path);
    auto abandon = [&](const std::string& what) {
        std::string message = failure(what, path);
        fd.reset();
        ::unlink(temp.c_str());
        return message;
    };
    if (::fchmod(fd.get(), mode) != 0) return abandon("cannot set the mode of");
    const char* data = content.data();
    size_t left = content.size();
    while (left > 0) {
        ssize_t written = ::write(fd.get(), data, left);
        if (written < 0 && errno == EINTR) continue;
        if (written <= 0) return abandon("cannot write");
        data += written;
        left -= static_cast<size_t>(written);
    }
    if (::fsync(fd.get()) != 0) return abandon("cannot sync");
    if (::close(fd.release()) != 0) {
        ::unlink(temp.c_str());
        return failure("cannot close", path);
    }
    if (::rename(temp.c_str(), path.c_str()) != 0) {
        std::string message = failure("cannot rename over", path);
        ::unlink(temp.c_str());
        return message;
    }
    const UniqueFd dir(::open(directory_of(path).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (dir.valid()) ::fsync(dir.get());
    return std::nullopt;
}

int remove_stale_temporaries(const std::string& path) {
    const std::string directory = directory_of(path);
    const auto slash = path.rfind('/');
    const std::string prefix = (slash == std::string::npos ? path : path.substr(slash + 1)) + kTemporarySuffix;
    std::error_code error;
    int removed = 0;
    for (const auto& entry : std::filesystem::directory_iterator(directory, error)) {
        const std::string name = entry.path().filename().string();
        if (name.size() == prefix.size() + 6 && name.compare(0, prefix.size(), prefix) == 0 &&
            std::filesystem::remove(entry.path(), error)) {
            ++removed;
        }
    }
    return removed;
}

std::optional<std::string> read_whole_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return std::nullopt;
    std::ostringstream buffer;
    buffer << in.rdbuf();
    if (in.bad()) return std::nullopt;
    return buffer.str();
}

}  // namespace util
