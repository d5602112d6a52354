// envoy-sim: --log-limit-requests: one JSON line per request to a production limit endpoint
// (time, method, path, body, status), appended to a file, so that a reviewer or a test sees the
// traffic a real gateway would get and can count it. Thread-safe.
#pragma once

#include <mutex>
#include <string>

namespace sim {

class RequestLog {
public:
    // An empty path logs nothing.
    explicit RequestLog(std::string path);

    void append(const std::string& method, const std::string& path, const std::string& body, int status);

private:
    std::mutex mutex_;
    std::string path_;
};

}  // namespace sim
