// envoy-sim: JSON lines of the limit requests, each written and flushed at once.
#include "RequestLog.hpp"

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <fstream>

namespace sim {

namespace {

// "2026-11-30T08:15:02.123Z"
std::string utc_now() {
    const auto now = std::chrono::system_clock::now();
    const std::time_t seconds = std::chrono::system_clock::to_time_t(now);
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
    std::tm tm{};
    gmtime_r(&seconds, &tm);
    char text[40];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S", &tm);
    char out[48];
    std::snprintf(out, sizeof out, "%s.%03dZ", text, static_cast<int>(ms));
    return out;
}

}  // namespace

RequestLog::RequestLog(std::string path) : path_(std::move(path)) {}

void RequestLog::append(const std::string& method, const std::string& path, const std::string& body, int status) {
    if (path_.empty()) return;
    const nlohmann::ordered_json line = {
        {"time", utc_now()}, {"method", method}, {"path", path}, {"body", body}, {"status", status}};
    const std::string text = line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
    std::lock_guard lock(mutex_);
    std::ofstream out(path_, std::ios::app | std::ios::binary);
    out << text;
}

}  // namespace sim
