// venus/DeviceCommon: what the PV inverter and grid meter services share: identity, the
// management and identity paths, writable /CustomName, and per-phase path names.
#pragma once

#include <string>
#include <vector>

#include "venus/DeviceSettings.hpp"
#include "venus/Service.hpp"

namespace venus {

// Who the device is; given by the app from the gateway's /info and the command line.
struct DeviceIdentity {
    std::string serial;            // gateway serial
    std::string firmware;          // gateway firmware, e.g. "D7.6.175"
    std::string hardware_version;  // e.g. "10x IQ7A" (PV) or the gateway part number
    std::string connection;        // /Mgmt/Connection, e.g. "https://192.168.1.50 (stream)"
    std::string process_name;      // /Mgmt/ProcessName
    std::string process_version;   // /Mgmt/ProcessVersion
    double max_power = 0;          // /Ac/MaxPower in W (PV only); 0: unknown
    int default_instance = 0;      // used when the settings service does not assign one
};
using PvIdentity = DeviceIdentity;

inline constexpr std::int32_t kThirdPartyProductId = 0xFFFF;

// Adds /Mgmt/*, /DeviceInstance, /ProductId, /ProductName, /CustomName (writable, stored
// through settings), /FirmwareVersion, /HardwareVersion, /Serial, /Connected (0), /ErrorCode (0)
// and /UpdateIndex (0).
void add_device_paths(Service& service, const DeviceIdentity& identity, const std::string& product_name,
                      DeviceSettings& settings);

// Shows the settings' current /DeviceInstance, /CustomName and, for devices with a position,
// /Position (after they changed in the settings service).
void show_settings(Service& service, const DeviceSettings& settings);

// "/Ac/L2/Power" for phase index 1 and leaf "Power".
std::string phase_path(int phase_index, const std::string& leaf);

// One per-phase leaf below /Ac/L<n>/ and its text formatter.
struct PhaseLeaf {
    std::string name;  // e.g. "Power", "Energy/Forward"
    Formatter text;
};

// Adds the leaves of phases [from, to) or removes those of phases [to, from).
void resize_phases(Service& service, int from, int to, const std::vector<PhaseLeaf>& leaves);

// Increments /UpdateIndex (0..255, wrapping).
void bump_update_index(Service& service);

}  // namespace venus
