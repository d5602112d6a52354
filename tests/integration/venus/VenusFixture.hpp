// Integration test fixture for src/venus: a private dbus-daemon, a loop thread running the
// services, an independent client, a temporary state directory, and sample snapshots.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "BusClient.hpp"
#include "LoopThread.hpp"
#include "Harness.hpp"
#include "Process.hpp"
#include "busitem/Bus.hpp"
#include "busitem/DeviceSettings.hpp"
#include "model/Snapshot.hpp"
#include "venus/GridMeter.hpp"
#include "venus/PvInverter.hpp"

namespace dbustest {

using namespace std::chrono_literals;
using testsupport::PrivateBus;

inline constexpr const char* kSerial = "122233445566";
inline constexpr const char* kPvName = "com.victronenergy.pvinverter.enphase_envoy";
inline constexpr const char* kGridName = "com.victronenergy.grid.enphase_envoy";
inline constexpr const char* kSettingsName = "com.victronenergy.settings";

inline venus::DeviceIdentity identity() {
    venus::DeviceIdentity id;
    id.serial = kSerial;
    id.firmware = "D7.6.175";
    id.hardware_version = "10x IQ7A";
    id.connection = "https://192.168.1.50 (stream)";
    id.process_name = "dbus-enphase-envoy";
    id.process_version = "0.1.0";
    id.max_power = 3490;
    id.default_instance = 61;
    return id;
}

// PV production on `phases` phases: phase i makes 1000 + 100 i W at 230 V.
inline model::Snapshot pv_snapshot(int phases, double extra_watts = 0) {
    model::Snapshot snapshot;
    snapshot.source = model::Source::Stream;
    snapshot.pv.present = true;
    snapshot.pv.phase_count = phases;
    double total = 0;
    for (int i = 0; i < phases; ++i) {
        auto& phase = snapshot.pv.phases[static_cast<std::size_t>(i)];
        phase.power = 1000.0 + 100.0 * i + (i == 0 ? extra_watts : 0);
        phase.current = *phase.power / 230.0;
        phase.voltage = 230.14;
        phase.frequency = 50.012;
        phase.energy_forward = 100.0 + i;
        total += *phase.power;
    }
    snapshot.pv.total.power = total;
    snapshot.pv.total.current = total / 230.0;
    snapshot.pv.total.voltage = 230.14;
    snapshot.pv.total.energy_forward = 1234.567;
    return snapshot;
}

inline model::Snapshot grid_snapshot(int phases) {
    model::Snapshot snapshot;
    snapshot.grid.present = true;
    snapshot.grid.phase_count = phases;
    for (int i = 0; i < phases; ++i) {
        auto& phase = snapshot.grid.phases[static_cast<std::size_t>(i)];
        phase.power = -200.0 - i;
        phase.current = 1.5;
        phase.voltage = 231.0;
        phase.frequency = 49.99;
        phase.power_factor = -0.95;
        phase.energy_forward = 500.0 + i;
        phase.energy_reverse = 700.0 + i;
    }
    snapshot.grid.total.power = -600.0;
    snapshot.grid.total.energy_forward = 1501.25;
    snapshot.grid.total.energy_reverse = 2103.5;
    return snapshot;
}

class VenusTest : public ::testing::Test {
protected:
    void TearDown() override {
        loop.run([this] {
            grid.reset();
            pv.reset();
            grid_settings.reset();
            settings.reset();
            bus.reset();
        });
    }

    // Creates the shared bus and the PV settings, waits until they are ready.
    void start_settings(std::chrono::milliseconds deadline = std::chrono::milliseconds(2000)) {
        loop.run([&] {
            bus = std::make_unique<busitem::Bus>(loop.loop());
            auto config = venus::pv_inverter_settings(kSerial, 61, state_file());
            config.deadline = deadline;
            settings = std::make_unique<busitem::DeviceSettings>(*bus, config);
            settings->start([] {});
        });
        ASSERT_TRUE(testsupport::wait_until([&] { return loop.run([&] { return settings->ready(); }); }, 5s));
    }

    void start_pv() {
        start_settings();
        loop.run([&] { pv = std::make_unique<venus::PvInverter>(*bus, identity(), *settings); });
    }

    void stop_pv() {
        loop.run([&] {
            pv.reset();
            settings.reset();
        });
    }

    void publish(const model::Snapshot& snapshot) {
        loop.run([&] { pv->publish(snapshot); });
    }

    std::string state_file() const { return dir.file("state.json"); }

    PrivateBus private_bus{PrivateBus::Session::ThisProcess};
    LoopThread loop;
    BusClient client{private_bus.address()};
    testsupport::TempDir dir;
    std::unique_ptr<busitem::Bus> bus;
    std::unique_ptr<busitem::DeviceSettings> settings;
    std::unique_ptr<busitem::DeviceSettings> grid_settings;
    std::unique_ptr<venus::PvInverter> pv;
    std::unique_ptr<venus::GridMeter> grid;
};

}  // namespace dbustest
