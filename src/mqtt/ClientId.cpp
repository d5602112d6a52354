// mqtt: reading the machine's unique id for the default client id (see ClientId.hpp).
#include "mqtt/ClientId.hpp"

#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <fstream>

namespace mqtt {
namespace {

constexpr std::size_t kMachineIdLength = 12;

std::string first_line(const std::string& path) {
    std::ifstream in(path);
    std::string line;
    if (!in || !std::getline(in, line)) return {};
    return line;
}

// "02:FC:00:00:00:01" -> "02fc00000001"; empty unless 12 hex digits, not all zero.
std::string portal_id_from_mac(const std::string& mac) {
    std::string id;
    for (char c : mac) {
        if (c == ':' || std::isspace(static_cast<unsigned char>(c))) continue;
        if (!std::isxdigit(static_cast<unsigned char>(c))) return {};
        id += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    if (id.size() != 12 || std::all_of(id.begin(), id.end(), [](char c) { return c == '0'; })) return {};
    return id;
}

std::string machine_id(const std::string& text) {
    std::string id;
    for (char c : text) {
        if (!std::isxdigit(static_cast<unsigned char>(c))) break;
        id += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    return id.size() >= kMachineIdLength ? id.substr(0, kMachineIdLength) : std::string();
}

}  // namespace

std::string local_unique_id(const IdSources& sources) {
    if (auto id = portal_id_from_mac(first_line(sources.mac_file)); !id.empty()) return id;
    if (auto id = machine_id(first_line(sources.machine_id_file)); !id.empty()) return id;
    char host[256] = {};
    if (::gethostname(host, sizeof host - 1) == 0 && host[0] != '\0') return host;
    return "unknown";
}

}  // namespace mqtt
