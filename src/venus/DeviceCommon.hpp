// venus/DeviceCommon: what the PV inverter and grid meter services share: who the device is,
// and the items every device has (management, identity, connection state, the update counter)
// with the ones its settings back (/DeviceInstance, writable /CustomName and /Position).
#pragma once

#include <cstdint>
#include <string>

#include "busitem/DeviceSettings.hpp"
#include "busitem/Item.hpp"
#include "busitem/Service.hpp"

namespace venus {

// Who the device is; given by the app from the gateway's /info (or, before the gateway
// answered, the serial it last had) and the command line.
struct DeviceIdentity {
    std::string serial;            // gateway serial
    std::string firmware;          // gateway firmware, e.g. "D7.6.175"; "" (invalid) until known
    std::string hardware_version;  // e.g. "10x IQ7A" (PV) or the gateway part number
    std::string connection;        // /Mgmt/Connection, e.g. "https://192.168.1.50 (stream)"
    std::string process_name;      // /Mgmt/ProcessName
    std::string process_version;   // /Mgmt/ProcessVersion
    double max_power = 0;          // /Ac/MaxPower in W (PV only); 0: unknown
    int default_instance = 0;      // used when the settings service does not assign one
};
using PvIdentity = DeviceIdentity;

inline constexpr std::int32_t kThirdPartyProductId = 0xFFFF;

class DeviceItems {
public:
    // Adds /Mgmt/*, /DeviceInstance, /ProductId, /ProductName, /CustomName (writable, stored
    // through settings), /Position when the settings keep one (writable, 0..2), /FirmwareVersion,
    // /HardwareVersion, /Serial, /Connected (0), /ErrorCode (0) and /UpdateIndex (0). service
    // and settings must outlive the items.
    DeviceItems(busitem::Service& service, const DeviceIdentity& identity, const std::string& product_name,
                busitem::DeviceSettings& settings);

    // Shows the settings' current /DeviceInstance, /CustomName and /Position (after they changed
    // in the settings service) and flushes.
    void show_settings();
    // Shows /Mgmt/Connection and flushes.
    void show_connection(std::string connection);
    // Shows what the gateway told about itself once it answered (/FirmwareVersion,
    // /HardwareVersion, /Mgmt/Connection) and flushes.
    void show_identity(const DeviceIdentity& identity);
    void set_connected(bool connected);
    // Increments /UpdateIndex (0..255, wrapping).
    void bump_update_index();

private:
    busitem::Service& service_;
    busitem::DeviceSettings& settings_;
    busitem::Item connection_;
    busitem::Item firmware_;
    busitem::Item hardware_version_;
    busitem::Item device_instance_;
    busitem::Item custom_name_;
    busitem::Item position_;
    busitem::Item connected_;
    busitem::Item update_index_;
};

}  // namespace venus
