// envoy-sim: a capture directory of a real gateway (tests/data/envoy/<firmware>/) and the
// mapping from request paths to its files, status codes and content types.
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string>

namespace sim {

struct CapturedResponse {
    int status = 200;
    std::string content_type;
    std::string body;
};

class Capture {
public:
    // Loads the directory; throws std::runtime_error naming the problem when it is unusable.
    explicit Capture(std::string dir);

    const std::string& dir() const { return dir_; }
    const std::string& serial() const { return serial_; }
    const std::string& software() const { return software_; }
    // The software's major version ("D8.2.4345" -> 8), 0 when /info does not say.
    int major() const { return major_; }
    // True when /info says web-tokens or the software major version is 7 or more.
    bool token_firmware() const { return token_firmware_; }

    // The captured answer for a request path ("/a/b") and its raw query ("x=1&y=2").
    // With a query, the file "a_b_x_1_y_2" is preferred, then "a_b". nullopt when neither exists.
    std::optional<CapturedResponse> lookup(const std::string& path, const std::string& query) const;
    // The answer stored in one file of the capture (by file name), nullopt when absent.
    std::optional<CapturedResponse> file(const std::string& name) const;
    // A capture file parsed as JSON (null when absent or not JSON).
    nlohmann::ordered_json json(const std::string& name) const;

private:
    std::string dir_;
    std::string serial_;
    std::string software_;
    int major_ = 0;
    bool token_firmware_ = false;
};

// "production.json" + "details=1" -> "production.json_details_1"; path "/a/b" -> "a_b".
std::string capture_file_name(const std::string& path, const std::string& query);

}  // namespace sim
