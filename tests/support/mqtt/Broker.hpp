// tests/support/mqtt: a real mosquitto broker on a free loopback port, for one test.
#pragma once

#include <memory>
#include <string>

#include "Process.hpp"

namespace mqtttest {

struct BrokerOptions {
    std::string username;  // with password: a password file made by mosquitto_passwd, no anonymous access
    std::string password;
    std::string cert_dir;  // TLS listener with cert_dir/{ca.pem,server.pem,server.key}
};

class Broker {
public:
    explicit Broker(BrokerOptions options = {});
    ~Broker();

    int port() const { return port_; }
    // Starts mosquitto (again, on the same port) and waits until it accepts connections.
    void start();
    // SIGKILL and reap.
    void kill();
    bool running() const { return process_ != nullptr; }
    std::string output() { return process_ ? process_->output() : std::string(); }

private:
    BrokerOptions options_;
    testsupport::TempDir dir_;
    int port_ = 0;
    std::unique_ptr<testsupport::Process> process_;
};

// A loopback TCP port nobody listens on right now (bound to port 0, then released).
int free_port();
// Runs the test CA script into dir; true when it succeeded.
bool make_test_certificates(const std::string& dir);

}  // namespace mqtttest
