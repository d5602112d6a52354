// app: the long-running daemon. The gateway client feeds every sink on one event loop:
// the PV inverter (and optional grid meter) on D-Bus (app::DeviceServices); the MQTT
// publisher; and the [DATA] fetches (devices, inverters, events), whose inverter reports also
// give the microinverter counts on D-Bus. Every snapshot first goes through the energy counters
// (energy::Tracker), which are saved at shutdown. Runs until SIGTERM.
//
// Presence (docs/dbus.md, "Names and presence"): when the serial is known at start
// ([ENVOY] serial, else the last one the gateway gave, app::LastSerial) the PV inverter is on
// D-Bus at once, disconnected, and the gateway's answer fills in the rest; else it comes with
// the gateway's first answer. A gateway answering with another serial gets its devices
// registered again under that serial. With [PV] power_limiting = 1, app::LimitControl lets
// Venus limit the production.
//
// Batteries (docs/dbus.md, "The battery"): envoy::BatteryReader reads the IQ and AC Batteries
// when the battery service ([BATTERY] enabled) or MQTT wants them; with the storage CT of each
// sample, envoy::battery_total makes them one battery. The battery service is registered with
// the first round that finds batteries, never on a gateway without; a lost gateway or a failed
// round leaves it on the bus, disconnected, with every value invalid.
#pragma once

#include <memory>
#include <optional>

#include "app/DeviceServices.hpp"
#include "app/LastSerial.hpp"
#include "app/LimitControl.hpp"
#include "busitem/Bus.hpp"
#include "config/Config.hpp"
#include "energy/Tracker.hpp"
#include "envoy/BatteryReader.hpp"
#include "envoy/Client.hpp"
#include "envoy/EndpointUnits.hpp"
#include "loop/EventLoop.hpp"
#include "model/Production.hpp"
#include "mqtt/Publisher.hpp"

namespace app {

class Daemon {
public:
    // Throws busitem::BusError when D-Bus is unreachable, std::invalid_argument for unusable
    // MQTT settings.
    Daemon(loop::EventLoop& loop, const config::Config& config, ServiceSuffix suffix);
    ~Daemon();
    // Runs the loop until SIGTERM/SIGINT or a fatal problem; returns the exit code.
    int run();

private:
    void on_status(const envoy::ClientStatus& status);
    void on_snapshot(const model::Snapshot& snapshot);
    void on_lost();
    void fatal(const std::string& message, int exit_code);
    // Registers the devices under the serial known before the gateway answers, if any.
    void register_known_serial();
    // Follows the serial the gateway gave: registers the devices, or again under a new serial.
    void follow_serial(const std::string& serial);
    void on_pv_ready(venus::PvInverter& pv);
    void start_fetches();
    void on_inverter_reports(model::InverterReports reports);
    void update_microinverters();
    // The batteries (envoy::BatteryReader) and the storage CT of the samples, shown as one
    // battery on D-Bus ([BATTERY] enabled) and on the battery topic.
    void on_batteries(const model::Batteries& batteries);
    void on_batteries_lost();
    void publish_battery();
    void on_battery_ready(venus::Battery& battery);
    std::string hardware_version() const;
    std::string connection() const;
    venus::DeviceIdentity identity(const std::string& serial, int default_instance) const;

    loop::EventLoop& loop_;
    const config::Config& config_;
    LastSerial last_serial_;
    busitem::Bus bus_;
    std::unique_ptr<mqtt::Publisher> mqtt_;
    energy::Tracker energy_;
    envoy::Client client_;
    std::optional<envoy::ClientStatus> status_;
    DeviceServices devices_;
    std::unique_ptr<LimitControl> limits_;  // with [PV] power_limiting = 1
    std::vector<std::unique_ptr<envoy::EndpointUnit>> fetches_;
    std::optional<model::InverterReports> inverter_reports_;
    std::optional<int> inventory_inverters_;
    std::unique_ptr<envoy::BatteryReader> battery_reader_;  // with [BATTERY] enabled or MQTT
    std::optional<model::Batteries> batteries_;             // the latest round; none when lost
    model::MeterValues storage_;                             // the latest sample's storage CT
    std::optional<bool> batteries_seen_;                     // what the log last said: batteries or none
    bool connected_ = false;
    int exit_code_ = 0;
};

// Builds and runs the daemon; returns the process exit code (1 when D-Bus or MQTT cannot be
// set up).
int run_daemon(const config::Config& config, ServiceSuffix suffix);

}  // namespace app
