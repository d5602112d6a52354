// envoy-sim: reads capture files, their NAME_log.json status and headers, and the /info facts.
#include "Capture.hpp"

#include <cctype>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <stdexcept>

namespace sim {

namespace fs = std::filesystem;

namespace {

std::optional<std::string> read_whole(const fs::path& p) {
    std::error_code ec;
    if (!fs::is_regular_file(p, ec)) return std::nullopt;
    std::ifstream in(p, std::ios::binary);
    if (!in) return std::nullopt;
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

std::string xml_element(const std::string& xml, const std::string& tag) {
    std::regex re("<" + tag + ">\\s*([^<]*?)\\s*</" + tag + ">");
    std::smatch m;
    if (std::regex_search(xml, m, re)) return m[1];
    return {};
}

std::string guess_content_type(const std::string& name, const std::string& body) {
    if (name == "info" || name == "info.xml") return "text/xml";
    auto first = body.find_first_not_of(" \t\r\n");
    if (first != std::string::npos) {
        if (body[first] == '{' || body[first] == '[') return "application/json";
        if (body[first] == '<') return body.compare(first, 5, "<?xml") == 0 ? "text/xml" : "text/html";
    }
    return "text/plain";
}

}  // namespace

std::string capture_file_name(const std::string& path, const std::string& query) {
    std::string name = path.empty() || path[0] != '/' ? path : path.substr(1);
    for (char& c : name) {
        if (c == '/') c = '_';
    }
    if (!query.empty()) {
        name += '_';
        for (char c : query) name += (c == '=' || c == '&') ? '_' : c;
    }
    return name;
}

Capture::Capture(std::string dir) : dir_(std::move(dir)) {
    std::error_code ec;
    if (!fs::is_directory(dir_, ec)) throw std::runtime_error("capture directory not found: " + dir_);
    auto info = read_whole(fs::path(dir_) / "info");
    if (!info) throw std::runtime_error("capture has no 'info' file (the /info XML): " + dir_);
    serial_ = xml_element(*info, "sn");
    software_ = xml_element(*info, "software");
    if (serial_.empty()) throw std::runtime_error("capture 'info' has no <sn> serial: " + dir_);
    std::smatch m;
    if (std::regex_search(software_, m, std::regex("(\\d+)\\."))) major_ = std::stoi(m[1]);
    token_firmware_ = xml_element(*info, "web-tokens") == "true" || major_ >= 7;
}

std::optional<CapturedResponse> Capture::file(const std::string& name) const {
    if (name.empty() || name == "." || name == "..") return std::nullopt;
    auto body = read_whole(fs::path(dir_) / name);
    if (!body) return std::nullopt;
    CapturedResponse r;
    r.body = std::move(*body);
    if (auto log = read_whole(fs::path(dir_) / (name + "_log.json"))) {
        auto j = nlohmann::json::parse(*log, nullptr, false);
        if (j.is_object()) {
            if (j.contains("code") && j["code"].is_number_integer()) r.status = j["code"].get<int>();
            if (j.contains("headers") && j["headers"].is_object()) {
                for (auto& [k, v] : j["headers"].items()) {
                    std::string lower;
                    for (char c : k) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
                    if (lower == "content-type" && v.is_string()) r.content_type = v.get<std::string>();
                }
            }
        }
    }
    if (r.content_type.empty()) r.content_type = guess_content_type(name, r.body);
    return r;
}

std::optional<CapturedResponse> Capture::lookup(const std::string& path, const std::string& query) const {
    if (!query.empty()) {
        if (auto r = file(capture_file_name(path, query))) return r;
    }
    return file(capture_file_name(path, ""));
}

nlohmann::ordered_json Capture::json(const std::string& name) const {
    auto body = read_whole(fs::path(dir_) / name);
    if (!body) return nullptr;
    auto j = nlohmann::ordered_json::parse(*body, nullptr, false);
    return j.is_discarded() ? nlohmann::ordered_json(nullptr) : j;
}

}  // namespace sim
