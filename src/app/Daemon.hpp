// app: the long-running daemon. The gateway client feeds every sink on one event loop:
// the PV inverter (and optional grid meter) on D-Bus, created once the gateway's serial is
// known and the settings service assigned their instances; the MQTT publisher; and the
// [DATA] fetches (devices, inverters, events), whose inverter reports also give the
// microinverter counts on D-Bus. Every snapshot first goes through the energy counters
// (energy::Tracker), which are saved at shutdown. Runs until SIGTERM.
#pragma once

#include <functional>
#include <memory>
#include <optional>

#include "config/Config.hpp"
#include "energy/Tracker.hpp"
#include "envoy/Client.hpp"
#include "envoy/EndpointUnits.hpp"
#include "loop/EventLoop.hpp"
#include "model/Production.hpp"
#include "mqtt/Publisher.hpp"
#include "busitem/Bus.hpp"
#include "busitem/DeviceSettings.hpp"
#include "venus/GridMeter.hpp"
#include "venus/PvInverter.hpp"

namespace app {

class Daemon {
public:
    // Throws busitem::BusError when D-Bus is unreachable, std::invalid_argument for unusable
    // MQTT settings.
    Daemon(loop::EventLoop& loop, const config::Config& config);
    ~Daemon();
    // Runs the loop until SIGTERM/SIGINT or a fatal problem; returns the exit code.
    int run();

private:
    void on_status(const envoy::ClientStatus& status);
    void on_snapshot(const model::Snapshot& snapshot);
    void on_lost();
    void fatal(const std::string& message, int exit_code);
    // Runs create_service (which claims a D-Bus name); a taken name or a bus failure is fatal.
    bool claim(const std::function<void()>& create_service);
    void create_pv_inverter();
    void create_grid_meter();
    void start_fetches();
    void on_inverter_reports(model::InverterReports reports);
    void update_microinverters();
    std::string hardware_version() const;
    venus::DeviceIdentity identity(int default_instance) const;

    loop::EventLoop& loop_;
    const config::Config& config_;
    std::string state_file_;
    busitem::Bus bus_;
    std::unique_ptr<mqtt::Publisher> mqtt_;
    energy::Tracker energy_;
    envoy::Client client_;
    std::optional<envoy::ClientStatus> status_;
    std::unique_ptr<busitem::DeviceSettings> pv_settings_;
    std::unique_ptr<venus::PvInverter> pv_;
    std::unique_ptr<busitem::DeviceSettings> grid_settings_;
    std::unique_ptr<venus::GridMeter> grid_;
    std::vector<std::unique_ptr<envoy::EndpointUnit>> fetches_;
    std::optional<model::InverterReports> inverter_reports_;
    std::optional<int> inventory_inverters_;
    bool connected_ = false;
    int exit_code_ = 0;
};

// Builds and runs the daemon; returns the process exit code (1 when D-Bus or MQTT cannot be
// set up).
int run_daemon(const config::Config& config);

}  // namespace app
