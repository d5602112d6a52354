// tests/support: implementation of the integration-test harness.
#include "Harness.hpp"

#include <curl/curl.h>

#include <csignal>

#include <gtest/gtest.h>

#include <stdexcept>

namespace testsupport {

Simulator start_simulator(const std::string& capture, const std::vector<std::string>& extra_args, int port) {
    std::vector<std::string> argv{built("tools/envoy-sim/envoy-sim"), "--capture", capture_dir(capture), "--port",
                                  std::to_string(port)};
    argv.insert(argv.end(), extra_args.begin(), extra_args.end());
    Simulator sim;
    sim.process = std::make_unique<Process>(argv);
    auto url = sim.process->wait_for_match(R"(listening on (https?://127\.0\.0\.1:[0-9]+))", 15s);
    if (!url) throw std::runtime_error("envoy-sim did not start: " + sim.process->output());
    sim.url = *url;
    sim.port = std::stoi(url->substr(url->rfind(':') + 1));
    return sim;
}

std::string make_token(const std::string& capture, const std::string& user, const std::vector<std::string>& extra_args) {
    std::vector<std::string> argv{built("tools/envoy-sim/envoy-sim"), "--capture", capture_dir(capture), "--make-token", user};
    argv.insert(argv.end(), extra_args.begin(), extra_args.end());
    Process process(argv);
    auto code = process.wait_exit(15s);
    if (!code || *code != 0) throw std::runtime_error("envoy-sim --make-token failed: " + process.output());
    std::string token = process.output();
    while (!token.empty() && (token.back() == '\n' || token.back() == '\r' || token.back() == ' ')) token.pop_back();
    auto newline = token.rfind('\n');
    return newline == std::string::npos ? token : token.substr(newline + 1);
}

std::string write_config(const TempDir& dir, const std::string& address, const std::string& envoy_extra, const std::string& extra) {
    std::string text = "[DEFAULT]\nlogging = INFO\n\n[ENVOY]\naddress = " + address + "\n" + envoy_extra + "\n" +
                       "[ENERGY]\nvolatile_dir = " + dir.path() + "/run\nstate_dir = " + dir.path() + "\n\n" + extra;
    std::string path = dir.file("config.ini");
    write_file(path, text);
    return path;
}

std::vector<std::string> daemon_command(const std::string& config_path, const std::vector<std::string>& extra_args) {
    std::vector<std::string> argv{built("dbus-enphase-envoy"), "--config", config_path};
    argv.insert(argv.end(), extra_args.begin(), extra_args.end());
    return argv;
}

PrivateBus::PrivateBus() {
    process_ = std::make_unique<Process>(std::vector<std::string>{"dbus-daemon", "--session", "--nofork", "--nopidfile", "--print-address=1"});
    auto address = process_->wait_for_match(R"((unix:[^\s]+))", 10s);
    if (!address) throw std::runtime_error("dbus-daemon did not start: " + process_->output());
    address_ = *address;
}

long Simulator::control(const std::string& directives) const {
    CURL* easy = curl_easy_init();
    curl_easy_setopt(easy, CURLOPT_URL, (url + "/__sim/fault").c_str());
    curl_easy_setopt(easy, CURLOPT_POSTFIELDS, directives.c_str());
    curl_easy_setopt(easy, CURLOPT_SSL_VERIFYPEER, 0L);  // the simulator's own self-signed certificate
    curl_easy_setopt(easy, CURLOPT_SSL_VERIFYHOST, 0L);
    curl_easy_setopt(easy, CURLOPT_TIMEOUT, 10L);
    curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, +[](char*, size_t size, size_t count, void*) { return size * count; });
    long status = 0;
    if (curl_easy_perform(easy) == CURLE_OK) curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status);
    curl_easy_cleanup(easy);
    return status;
}

void PrivateBus::kill() {
    process_->signal(SIGKILL);
    process_->wait_exit(5s);
}

}  // namespace testsupport
