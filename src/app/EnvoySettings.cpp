// app: envoy_settings() implementation.
#include "app/EnvoySettings.hpp"

#include <filesystem>

namespace app {

envoy::Settings envoy_settings(const config::Config& config) {
    const auto& in = config.envoy;
    envoy::Settings out;
    out.host = in.host;
    out.port = in.port;
    out.scheme = in.scheme;
    out.firmware = in.firmware;
    out.installer_password = in.password;
    out.token = in.token;
    out.token_cache = in.token_cache;
    out.certificate = in.certificate;
    out.certificate_pin = in.certificate_pin;
    // The gateway's key is remembered beside the token it protects.
    const std::filesystem::path cache_dir = std::filesystem::path(in.token_cache).parent_path();
    out.pin_dir = (cache_dir.empty() ? std::filesystem::path(".") : cache_dir).string();
    out.cloud.user = in.enlighten_user;
    out.cloud.password = in.enlighten_password;
    out.cloud.serial = in.serial;
    out.cloud.login_url = in.enlighten_login_url;
    out.cloud.tokens_url = in.entrez_token_url;
    out.cloud.ca_file = in.cloud_ca_file;
    out.stream_timeout = std::chrono::seconds(in.stream_timeout);
    out.request_timeout = std::chrono::seconds(in.request_timeout);
    out.production_interval = std::chrono::seconds(in.fetch_production_historic_interval);
    out.better_source_retry = std::chrono::seconds(in.source_retry_interval);
    return out;
}

}  // namespace app
