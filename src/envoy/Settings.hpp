// envoy: what the gateway side needs to know, independent of how config.ini spells it. The
// members that config.ini sets have no defaults here: app::envoy_settings() fills them from
// config::Config, whose defaults are in the key table (config/Keys.hpp). The others are the
// client's own tuning.
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "model/GatewayAccess.hpp"

namespace envoy {

// The firmware and certificate choices are model's (model/GatewayAccess.hpp), named here for
// the client's code.
using model::CertificatePolicy;
using model::FirmwareChoice;

// The Enphase cloud account that obtains and renews tokens (token firmware).
struct CloudSettings {
    std::string user;                        // enlighten_user (e-mail)
    std::string password;                    // enlighten_password (secret)
    std::string serial;                      // gateway serial for the token; empty = the gateway's own
    std::string login_url;
    std::string tokens_url;
    std::string ca_file;                     // CA certificates to verify the cloud with; empty = system store
    std::chrono::milliseconds timeout{30000};
    bool configured() const { return !user.empty() && !password.empty(); }
};

struct Settings {
    std::string host;                        // name or address, IPv6 without brackets
    std::optional<int> port;                 // when the address carried one
    std::optional<std::string> scheme;       // "http" / "https" when forced by the address
    FirmwareChoice firmware{};
    CertificatePolicy certificate{};
    std::string certificate_pin;             // CertificatePolicy::Fixed: "sha256//..."
    std::string pin_dir = ".";               // where gateway-<serial>.pin files live (beside the token cache)
    std::string installer_password;          // pre-7 Digest password; empty = derive from serial
    std::string token;                       // JWT for token firmware (secret)
    std::string token_cache;                 // file keeping the cloud's token across restarts; empty = none
    CloudSettings cloud;
    std::chrono::milliseconds stream_timeout{};           // silence after which the stream is stalled
    std::chrono::milliseconds request_timeout{};
    std::chrono::milliseconds readings_interval{1000};    // /ivp/meters/readings polling
    std::chrono::milliseconds inverters_interval{10000};  // /api/v1/production polling
    std::chrono::milliseconds production_json_interval{5000};  // /production.json as the data source
    std::chrono::milliseconds better_source_retry{};
    std::chrono::milliseconds production_interval{};      // /production.json (historic counters)
    std::chrono::milliseconds counters_interval{10000};   // readings for the energy counters while streaming
    int failures_before_fallback = 3;        // consecutive failed polls before the next source
    bool prefer_counters = false;            // start with readings (they carry the energy counters), for --once
};

}  // namespace envoy
