// venus/PvInverter: the gateway's production as com.victronenergy.pvinverter.enphase_envoy.
//
// Exports every path of a Venus PV inverter plus the Enphase extras (/Enphase/*,
// /DeviceName). Per-phase paths /Ac/L<n>/{Power,Current,Voltage,Frequency,Energy/Forward}
// exist only for the snapshot's pv.phase_count phases: when the count drops, the paths of the
// phases that are gone are removed (and sent once as invalid in that publish's ItemsChanged).
// /StatusCode is invalid until the first publish, then 7 Running (>= 5 W), 8 Standby (below,
// or power unknown), 10 Error after set_disconnected(). /Ac/Energy/Forward is the meter's own
// counter when known, else the production lifetime Wh / 1000. The token itself is never
// exported: only its expiry and account type.
#pragma once

#include <cstdint>
#include <string>

#include "model/Gateway.hpp"
#include "model/Snapshot.hpp"
#include "venus/Bus.hpp"
#include "venus/DeviceCommon.hpp"
#include "venus/DeviceSettings.hpp"
#include "venus/Service.hpp"

namespace venus {

inline constexpr const char* kPvInverterServiceName = "com.victronenergy.pvinverter.enphase_envoy";

// The settings configuration of the PV inverter: unique id "enphase_envoy_<serial>",
// class "pvinverter", with /Position.
DeviceSettingsConfig pv_inverter_settings(const std::string& serial, int default_instance, std::string state_file);

class PvInverter {
public:
    static constexpr double kRunningThresholdW = 5.0;

    // Opens its own connection on bus's loop, exports the paths and claims the name (throws
    // NameTaken / BusError). settings must be ready() and outlive the PvInverter.
    PvInverter(Bus& bus, PvIdentity identity, DeviceSettings& settings,
               std::string service_name = kPvInverterServiceName);

    // Publishes the snapshot's PV values: one ItemsChanged; /Connected = 1.
    void publish(const model::Snapshot& snapshot);
    // /Connected 0, every measurement invalid, /StatusCode 10.
    void set_disconnected();
    void set_connection(std::string connection);
    void set_microinverters(int configured, int reporting, int producing);
    // Token expiry (epoch s, 0: unknown) and account type; Unknown makes both invalid.
    void set_token(std::int64_t expiry, model::TokenUser user);

    Service& service() { return service_; }

private:
    void set_phase_count(int count);

    Service service_;
    DeviceSettings& settings_;
    int phases_ = 0;
};

}  // namespace venus
