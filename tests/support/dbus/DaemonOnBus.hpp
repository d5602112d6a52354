// tests/support/dbus: the fixture of a test of the daemon on D-Bus: a private bus, a folder for
// the config and the state, the simulator, the config file, the daemon with the bus in its
// environment and an independent client on that bus.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "BusClient.hpp"
#include "Harness.hpp"
#include "Process.hpp"

namespace dbustest {

class DaemonOnBus : public ::testing::Test {
protected:
    testsupport::PrivateBus bus;
    testsupport::TempDir dir;
    testsupport::Simulator sim;
    std::string config;
    std::unique_ptr<testsupport::Process> daemon;
    std::unique_ptr<BusClient> client;

    // Starts the daemon on `config` with these extra arguments; makes the client the first time.
    void start_daemon(const std::vector<std::string>& args = {});
    // The typed value of path on service; nullopt while the service or the item is not there.
    std::optional<Typed> value_of(const std::string& service, const std::string& path);
    // Waits until service answers with /Connected == value.
    bool connected_is(const std::string& service, int value, std::chrono::milliseconds timeout = std::chrono::seconds(20));
    // SIGTERM, and the daemon must exit with 0 within 10 s.
    void stop_daemon();
};

}  // namespace dbustest
