// venus/PvInverter: the gateway's production as com.victronenergy.pvinverter.enphase_envoy.
//
// Exports every path of a Venus PV inverter plus the Enphase extras (/Enphase/*,
// /DeviceName). Per-phase paths /Ac/L<n>/{Power,Current,Voltage,Frequency,Energy/Forward}
// exist only for the snapshot's pv.phase_count phases: when the count drops, the paths of the
// phases that are gone are removed (and sent once as invalid in that publish's ItemsChanged).
// /StatusCode is invalid until the first publish, then 7 Running (>= 5 W), 8 Standby (below,
// or power unknown), 10 Error after set_disconnected(). /Ac/Energy/Forward is the meter's own
// counter when known, else the production lifetime Wh / 1000. The token itself is never
// exported: only its expiry and account type. Every item is declared once, in the constructor
// (the power-limit items in enable_power_limit()); a sample only sets the handles.
//
// Power limiting (dbus-fronius's contract with Venus's ESS): /Ac/PowerLimit (W) is writable;
// every write, also of the same value again, goes to the limiter; the item shows what the
// gateway applies (at rest /Ac/MaxPower), and is invalid while limiting is not usable, which
// is how Venus learns this PV inverter cannot be limited. /Enphase/PowerLimit/State (0 not
// supported, 1 off, 2 applying, 3 active, 4 refused) and /Enphase/PowerLimit/Reason say why.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "busitem/Bus.hpp"
#include "busitem/DeviceSettings.hpp"
#include "busitem/Item.hpp"
#include "busitem/Service.hpp"
#include "model/Gateway.hpp"
#include "model/PowerLimit.hpp"
#include "model/Snapshot.hpp"
#include "venus/AcItems.hpp"
#include "venus/DeviceCommon.hpp"

namespace venus {

inline constexpr const char* kPvInverterServiceName = "com.victronenergy.pvinverter.enphase_envoy";

// The settings configuration of the PV inverter: unique id "enphase_envoy_<serial>",
// class "pvinverter", with /Position.
busitem::DeviceSettingsConfig pv_inverter_settings(const std::string& serial, int default_instance, std::string state_file);

class PvInverter {
public:
    static constexpr double kRunningThresholdW = 5.0;

    // Opens its own connection on bus's loop, exports the paths and claims the name (throws
    // NameTaken / BusError). settings must be ready() and outlive the PvInverter.
    PvInverter(busitem::Bus& bus, PvIdentity identity, busitem::DeviceSettings& settings,
               std::string service_name = kPvInverterServiceName);

    // Publishes the snapshot's PV values: one ItemsChanged; /Connected = 1.
    void publish(const model::Snapshot& snapshot);
    // /Connected 0, every measurement invalid, /StatusCode 10.
    void set_disconnected();
    void set_connection(std::string connection);
    // Shows the firmware, hardware version and connection the gateway's answer gave.
    void show_identity(const DeviceIdentity& identity) { device_.show_identity(identity); }
    void set_microinverters(int configured, int reporting, int producing);
    // Token expiry (epoch s, 0: unknown) and account type; Unknown makes both invalid.
    void set_token(std::int64_t expiry, model::TokenUser user);
    // Shows the instance, custom name and position after they changed in the settings service.
    void show_settings() { device_.show_settings(); }

    // Adds the power-limit items (invalid, state "not supported"); each write of /Ac/PowerLimit
    // calls on_request with the watts asked for.
    void enable_power_limit(std::function<void(double)> on_request);
    // Shows the limiter's state: applied is the limit the gateway reports (nullopt: none, full power).
    void show_power_limit(model::LimitState state, std::optional<double> applied, const std::string& reason);

private:
    busitem::Service service_;
    DeviceItems device_;
    AcItems ac_;
    busitem::Item status_code_;
    busitem::Item microinverters_configured_;
    busitem::Item microinverters_reporting_;
    busitem::Item microinverters_producing_;
    busitem::Item device_name_;
    busitem::Item token_expiry_;
    busitem::Item token_type_;
    double max_power_ = 0;
    busitem::Item power_limit_;
    busitem::Item power_limit_state_;
    busitem::Item power_limit_reason_;
    busitem::Value power_limit_shown_;  // what /Ac/PowerLimit shows whatever was written
};

}  // namespace venus
