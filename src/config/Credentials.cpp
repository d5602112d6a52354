// config: credentials_problem(), whether the configured credentials fit the detected firmware.
#include <filesystem>
#include <system_error>
#include <vector>

#include "config/Load.hpp"

namespace config {

std::optional<std::string> credentials_problem(const Config& c, bool token_firmware,
                                               std::string_view firmware_version) {
    if (!token_firmware) return std::nullopt;  // pre-7: the installer password is derived when empty
    const Config::Envoy& envoy = c.envoy;
    if (!envoy.token.empty()) return std::nullopt;

    std::vector<std::string> missing;
    if (envoy.enlighten_user.empty()) missing.push_back("enlighten_user");
    if (envoy.enlighten_password.empty()) missing.push_back("enlighten_password");
    if (envoy.serial.empty()) missing.push_back("serial");
    if (missing.empty()) return std::nullopt;

    std::error_code error;
    if (!envoy.token_cache.empty() && std::filesystem::is_regular_file(envoy.token_cache, error))
        return std::nullopt;

    std::string message = "[ENVOY] token firmware ";
    if (!firmware_version.empty()) message.append(firmware_version).append(" ");
    message += "needs a token: set token, or enlighten_user, enlighten_password and serial";
    if (missing.size() < 3) {
        message += " (missing:";
        for (size_t i = 0; i < missing.size(); ++i) message += (i == 0 ? " " : ", ") + missing[i];
        message += ")";
    }
    return message;
}

}  // namespace config
