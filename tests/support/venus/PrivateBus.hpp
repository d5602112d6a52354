// tests/support/venus: a private dbus-daemon for one test, with DBUS_SESSION_BUS_ADDRESS
// pointing at it for the test process and its children.
#pragma once

#include <cstdlib>
#include <memory>
#include <stdexcept>
#include <string>

#include "Process.hpp"

namespace venustest {

class PrivateBus {
public:
    PrivateBus() {
        daemon_ = std::make_unique<testsupport::Process>(
            std::vector<std::string>{"dbus-daemon", "--session", "--nofork", "--print-address=1"});
        auto address = daemon_->wait_for_match("^(unix:[^\\s]+)");
        if (!address) throw std::runtime_error("dbus-daemon printed no address: " + daemon_->output());
        address_ = *address;
        ::setenv("DBUS_SESSION_BUS_ADDRESS", address_.c_str(), 1);
    }
    ~PrivateBus() { ::unsetenv("DBUS_SESSION_BUS_ADDRESS"); }
    const std::string& address() const { return address_; }

private:
    std::unique_ptr<testsupport::Process> daemon_;
    std::string address_;
};

}  // namespace venustest
