// envoy-sim: the command line (every flag, its default and its validation).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace sim {

inline constexpr const char* kDefaultJwtKey = "envoy-sim-default-signing-key";

struct Options {
    std::string capture;               // --capture DIR
    int port = 0;                      // --port (0: any free port)
    std::string url_file;              // --url-file FILE: the URL, written once listening
    std::string firmware = "auto";     // --firmware auto|pre7|token
    std::string jwt_key = kDefaultJwtKey;
    std::string make_token;            // --make-token owner|installer ("" = serve)
    std::int64_t token_exp = 0;        // --token-exp EPOCH (0: one year ahead)
    std::string token_serial;          // --token-serial SN
    int stream_interval_ms = 1000;
    std::vector<std::string> faults;   // directives in Faults syntax, from the fault flags
    bool log_samples = false;
    bool static_values = false;        // --static: the capture's values, unchanged over time
    bool verbose = false;
    std::string tls_key;               // --tls-key FILE: the gateway's TLS key (created when missing)
    // The production limit (LimitEndpoints.hpp, LimitModel.hpp).
    double limit_settle_s = 15;        // --limit-settle-s: seconds a new limit takes to be applied
    double limit_slew = 0;             // --limit-slew W/s (0: linear over the settle time)
    int limit_reply_delay_ms = 0;      // --limit-reply-delay-ms: before answering a limit write
    bool limit_refuse = false;         // --limit-refuse: limit writes answer 503, nothing changes
    bool no_dpel = false;              // --no-dpel: /ivp/ss/dpel answers 404
    bool old_dpel_firmware = false;    // --old-dpel-firmware: export_limit works the other way round
    std::string log_limit_requests;    // --log-limit-requests FILE: JSON lines of the limit requests
    std::int64_t token_iat = 0;        // --token-iat EPOCH (0: now)
    // --cloud: the Enphase cloud stand-in instead of a gateway.
    bool cloud = false;
    std::string ca_out;                // --ca-out FILE: the test CA's certificate (PEM)
    std::string cloud_user = "owner@example.com";
    std::string cloud_password = "cloud-password";
    std::vector<std::string> cloud_serials;  // serials the account owns (empty: any)
    bool cloud_mfa = false;
    std::string cloud_role = "owner";
    std::int64_t cloud_token_lifetime = 365LL * 24 * 3600;
};

// Parses argv into out. Returns an exit code when the program should end now (--help: 0,
// a bad flag: 2, after printing one clear message), nullopt to go on.
std::optional<int> parse_options(int argc, char** argv, Options& out);

}  // namespace sim
