// tests/support: starting the project's own programs for integration tests: the gateway
// simulator (waiting for its "listening on" line), tokens it signs, the daemon with a
// generated config.ini, and a private dbus-daemon.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "Process.hpp"

namespace testsupport {

// The bus names the daemon takes for one gateway (docs/dbus.md), written once for every test.
inline constexpr const char* kPv = "com.victronenergy.pvinverter.enphase_envoy";
inline constexpr const char* kGrid = "com.victronenergy.grid.enphase_envoy";

struct Simulator {
    std::unique_ptr<Process> process;
    std::string url;   // "https://127.0.0.1:PORT"; empty when it did not come up
    int port = 0;
    bool ready() const { return !url.empty(); }
    std::string address() const { return "127.0.0.1:" + std::to_string(port); }
    // POSTs directives (fault or hostile modes, "clear", "revoke-seen") to its /__sim/fault;
    // returns the HTTP status (0 without an answer).
    long control(const std::string& directives) const;
};

// tests/data/envoy/<capture>, or capture itself when it is an absolute path.
inline std::string capture_dir(const std::string& capture) {
    return !capture.empty() && capture[0] == '/' ? capture : test_data("envoy/" + capture);
}

// Runs tools/envoy-sim with exactly these arguments and waits for its "listening on URL" line;
// the result is not ready() when it exits or stays silent (for tests of its own options).
Simulator launch_simulator(std::vector<std::string> args);
// Starts tools/envoy-sim on a free loopback port serving capture_dir(capture); throws when it
// does not come up.
// port 0 picks a free one; a given port restarts a simulator where an earlier one listened.
Simulator start_simulator(const std::string& capture, const std::vector<std::string>& extra_args = {}, int port = 0);
// Runs tools/envoy-sim with args to completion (up to 15 s) and returns its output without
// trailing white space; exit_code gets its exit code (-1 when it did not end).
std::string run_simulator(std::vector<std::string> args, int* exit_code = nullptr);
// A token signed by the simulator for that capture's gateway: user "owner" or "installer".
std::string make_token(const std::string& capture, const std::string& user, const std::vector<std::string>& extra_args = {});

// A config.ini for the daemon pointing at address, written into dir; extra is appended
// verbatim (more sections or keys, e.g. "[GRID]\nenabled = 1\n"). envoy_extra is added to [ENVOY].
std::string write_config(const TempDir& dir, const std::string& address, const std::string& envoy_extra = "",
                         const std::string& extra = "");
// The config file <gateway>.ini of one of several gateways, written into dir like write_config()
// but leaving state_dir to the gateway's default (the folder <gateway> in dir); only its
// volatile_dir is set, to dir/run-<gateway> instead of a folder in /run.
std::string write_gateway_config(const TempDir& dir, const std::string& gateway, const std::string& address,
                                 const std::string& envoy_extra = "", const std::string& extra = "");

// The program of the stand-in settings service (tests/support/dbus/FakeSettings.cpp).
inline std::string fake_settings_program() { return built("tests/ee_fake_settings"); }

// The daemon's argv for a config file.
std::vector<std::string> daemon_command(const std::string& config_path, const std::vector<std::string>& extra_args = {});

// How often what occurs in text (lines of a log, requests a simulator printed).
std::size_t count_of(const std::string& text, const std::string& what);

// A private session bus: `dbus-daemon --session`; address() is for DBUS_SESSION_BUS_ADDRESS.
// With Session::ThisProcess it is also this process's session bus (DBUS_SESSION_BUS_ADDRESS
// set until it is destroyed), for tests that put the library itself on it.
class PrivateBus {
public:
    enum class Session { Children, ThisProcess };
    explicit PrivateBus(Session session = Session::Children);
    ~PrivateBus();
    PrivateBus(const PrivateBus&) = delete;
    PrivateBus& operator=(const PrivateBus&) = delete;
    const std::string& address() const { return address_; }
    // The environment of a program (the daemon, the settings stand-in) that is to use this bus.
    std::map<std::string, std::string> environment() const { return {{"DBUS_SESSION_BUS_ADDRESS", address_}}; }
    // Kills the bus daemon (SIGKILL) and reaps it: every connection to it is lost.
    void kill();

private:
    std::unique_ptr<Process> process_;
    std::string address_;
    bool exported_ = false;
};

}  // namespace testsupport
