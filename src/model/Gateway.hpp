// model: what the gateway says about itself and its meters (from /info and /ivp/meters).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace model {

// A gateway serial the driver accepts: 1 to 32 ASCII letters and digits. It becomes part of D-Bus
// object paths, settings keys and file names, so nothing else may pass.
inline bool valid_serial(std::string_view serial) {
    if (serial.empty() || serial.size() > 32) return false;
    for (char c : serial) {
        if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'))) return false;
    }
    return true;
}

struct GatewayInfo {
    std::string serial;                     // <device><sn>
    std::string part_number;                // <device><pn>
    std::string firmware;                   // <device><software>, e.g. "D7.6.175"
    int firmware_major = 0;                 // 7 for "D7.6.175", 3 for "R3.9.36"
    std::optional<bool> metering_board;     // <device><imeter>, absent on old firmware
    bool web_tokens = false;                // <web-tokens>true</web-tokens>: token firmware

    // Token firmware (D7 and later) needs HTTPS and a JWT.
    bool token_firmware() const { return web_tokens || firmware_major >= 7; }
    bool operator==(const GatewayInfo&) const = default;
};

// /ivp/meters measurementType. The first three make the site's PV, grid and consumption; storage
// measures the batteries (IQ Batteries, AC Batteries); backfeed, load, evse and pv3p are the CTs of
// a Collar / IQ Combostation (backfeed of a generator or second PV system, a load, an EV charger,
// three-phase PV). Other: any name the driver does not know.
enum class MeasurementType : std::uint8_t {
    Production,
    NetConsumption,
    TotalConsumption,
    Storage,
    Backfeed,
    Load,
    Evse,
    Pv3p,
    Other
};

// Whether a meter of this type is one of the site's PV, grid or consumption meters (the ones the
// data sources are chosen by).
constexpr bool site_meter(MeasurementType type) {
    return type == MeasurementType::Production || type == MeasurementType::NetConsumption ||
           type == MeasurementType::TotalConsumption;
}

struct MeterConfig {
    std::uint64_t eid = 0;
    bool enabled = false;                   // state == "enabled"
    MeasurementType type = MeasurementType::Other;
    int phase_count = 1;                    // 1..3
    bool operator==(const MeterConfig&) const = default;
};

using MeterConfigs = std::vector<MeterConfig>;

// Account behind a JWT (payload only; the signature is the gateway's business).
enum class TokenUser : std::uint8_t { Unknown, Owner, Installer };

struct TokenInfo {
    std::int64_t expires = 0;               // exp, epoch seconds (0: not stated)
    TokenUser user = TokenUser::Unknown;    // enphaseUser
    std::string username;
    std::string serial;
    std::int64_t issued = 0;                // iat, epoch seconds (0: not stated)
    bool operator==(const TokenInfo&) const = default;
};

}  // namespace model
