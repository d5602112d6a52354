// model: the gateway's production limit as it reports it (/ivp/ss/dpel, /ivp/ss/pel_settings,
// /ivp/sc/pvlimit, /ivp/mod/603980032/mode/power), and the state of limiting the driver shows.
#pragma once

#include <cstdint>
#include <optional>

namespace model {

// Dynamic power export limit (/ivp/ss/dpel, firmware 8): the one setting that takes a limit in
// watts. export_limit false limits production, true limits export at the net CT.
struct DpelSettings {
    bool enable = false;
    bool export_limit = false;
    std::optional<double> limit_w;    // limit_value_W
    std::optional<double> slew_rate;  // W/s the gateway moves towards a new limit
    bool dynamic_limiting = false;    // enable_dynamic_limiting (the relay schedule; never set by the driver)
    bool operator==(const DpelSettings&) const = default;
};

// The grid profile's production export limit (/ivp/ss/pel_settings, firmware 7 and 8): read
// only, it says whether an installer's profile already limits the site.
struct PelSettings {
    bool pel = false;                 // PEL: a limit is configured
    std::optional<bool> soft;         // Soft_PEL
    std::optional<bool> percent;      // the limit is a percentage, not watts
    std::optional<double> limit;      // PEL_Limit
    bool operator==(const PelSettings&) const = default;
};

// /ivp/sc/pvlimit: a percentage cap on production.
struct PvLimit {
    bool enable = false;
    std::optional<double> percent;    // pv_limit_pct
    bool operator==(const PvLimit&) const = default;
};

// What the PV inverter's /Enphase/PowerLimit/State shows.
enum class LimitState : std::uint8_t {
    NotSupported = 0,  // disabled in the config, no installer access, or no DPEL endpoint
    Off = 1,           // usable; production is not limited
    Applying = 2,      // a limit was written; the gateway has not confirmed it yet
    Active = 3,        // the gateway reports the limit it applies
    Refused = 4,       // the gateway refused the write or reports another limit
};

inline const char* limit_state_name(LimitState state) {
    switch (state) {
        case LimitState::NotSupported: return "Not supported";
        case LimitState::Off: return "Off";
        case LimitState::Applying: return "Applying";
        case LimitState::Active: return "Active";
        case LimitState::Refused: return "Refused";
    }
    return "Unknown";
}

}  // namespace model
