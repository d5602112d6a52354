// tests/support: implementation of the integration-test harness.
#include "Harness.hpp"

#include "Http.hpp"

#include <cctype>
#include <csignal>
#include <cstdlib>

#include <gtest/gtest.h>

#include <stdexcept>

namespace testsupport {

Simulator launch_simulator(std::vector<std::string> args) {
    args.insert(args.begin(), built("tools/envoy-sim/envoy-sim"));
    Simulator sim;
    sim.process = std::make_unique<Process>(std::move(args));
    if (auto url = sim.process->wait_for_match(R"(listening on (https?://127\.0\.0\.1:[0-9]+))", 15s)) {
        sim.url = *url;
        sim.port = std::stoi(url->substr(url->rfind(':') + 1));
    }
    return sim;
}

Simulator start_simulator(const std::string& capture, const std::vector<std::string>& extra_args, int port) {
    std::vector<std::string> args{"--capture", capture_dir(capture), "--port", std::to_string(port)};
    args.insert(args.end(), extra_args.begin(), extra_args.end());
    Simulator sim = launch_simulator(std::move(args));
    if (!sim.ready()) throw std::runtime_error("envoy-sim did not start: " + sim.process->output());
    return sim;
}

std::string run_simulator(std::vector<std::string> args, int* exit_code) {
    args.insert(args.begin(), built("tools/envoy-sim/envoy-sim"));
    Process process(std::move(args));
    const auto code = process.wait_exit(15s);
    if (exit_code) *exit_code = code.value_or(-1);
    std::string out = process.output();
    while (!out.empty() && std::isspace(static_cast<unsigned char>(out.back()))) out.pop_back();
    return out;
}

std::string make_token(const std::string& capture, const std::string& user, const std::vector<std::string>& extra_args) {
    std::vector<std::string> args{"--capture", capture_dir(capture), "--make-token", user};
    args.insert(args.end(), extra_args.begin(), extra_args.end());
    int code = -1;
    const std::string token = run_simulator(std::move(args), &code);
    if (code != 0) throw std::runtime_error("envoy-sim --make-token failed: " + token);
    const auto newline = token.rfind('\n');
    return newline == std::string::npos ? token : token.substr(newline + 1);
}

namespace {

std::string config_text(const std::string& address, const std::string& envoy_extra, const std::string& energy,
                        const std::string& extra) {
    return "[DEFAULT]\nlogging = INFO\n\n[ENVOY]\naddress = " + address + "\n" + envoy_extra + "\n[ENERGY]\n" + energy + "\n" +
           extra;
}

}  // namespace

std::string write_config(const TempDir& dir, const std::string& address, const std::string& envoy_extra, const std::string& extra) {
    const std::string energy = "volatile_dir = " + dir.path() + "/run\nstate_dir = " + dir.path() + "\n";
    std::string path = dir.file("config.ini");
    write_file(path, config_text(address, envoy_extra, energy, extra));
    return path;
}

std::string write_gateway_config(const TempDir& dir, const std::string& gateway, const std::string& address,
                                 const std::string& envoy_extra, const std::string& extra) {
    const std::string energy = "volatile_dir = " + dir.path() + "/run-" + gateway + "\n";
    std::string path = dir.file(gateway + ".ini");
    write_file(path, config_text(address, envoy_extra, energy, extra));
    return path;
}

std::vector<std::string> daemon_command(const std::string& config_path, const std::vector<std::string>& extra_args) {
    std::vector<std::string> argv{built("dbus-enphase-envoy"), "--config", config_path};
    argv.insert(argv.end(), extra_args.begin(), extra_args.end());
    return argv;
}

std::size_t count_of(const std::string& text, const std::string& what) {
    std::size_t count = 0;
    for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++count;
    return count;
}

PrivateBus::PrivateBus(Session session) {
    process_ = std::make_unique<Process>(std::vector<std::string>{"dbus-daemon", "--session", "--nofork", "--nopidfile", "--print-address=1"});
    auto address = process_->wait_for_match(R"((unix:[^\s]+))", 10s);
    if (!address) throw std::runtime_error("dbus-daemon did not start: " + process_->output());
    address_ = *address;
    if (session == Session::ThisProcess) {
        ::setenv("DBUS_SESSION_BUS_ADDRESS", address_.c_str(), 1);
        exported_ = true;
    }
}

PrivateBus::~PrivateBus() {
    if (exported_) ::unsetenv("DBUS_SESSION_BUS_ADDRESS");
}

long Simulator::control(const std::string& directives) const { return post(url + "/__sim/fault", directives).status; }

void PrivateBus::kill() {
    process_->signal(SIGKILL);
    process_->wait_exit(5s);
}

}  // namespace testsupport
