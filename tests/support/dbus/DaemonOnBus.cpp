// tests/support/dbus: the daemon-on-D-Bus fixture.
#include "DaemonOnBus.hpp"

#include <csignal>

namespace dbustest {

void DaemonOnBus::start_daemon(const std::vector<std::string>& args) {
    daemon = std::make_unique<testsupport::Process>(testsupport::daemon_command(config, args), bus.environment());
    if (!client) client = std::make_unique<BusClient>(bus.address());
}

std::optional<Typed> DaemonOnBus::value_of(const std::string& service, const std::string& path) {
    try {
        return client->get_value(service, path);
    } catch (const std::exception&) {
        return std::nullopt;
    }
}

bool DaemonOnBus::connected_is(const std::string& service, int value, std::chrono::milliseconds timeout) {
    return testsupport::wait_until([&] {
        const auto connected = value_of(service, "/Connected");
        return connected && connected->value == value;
    }, timeout);
}

void DaemonOnBus::stop_daemon() {
    daemon->signal(SIGTERM);
    const auto code = daemon->wait_exit(std::chrono::seconds(10));
    ASSERT_TRUE(code.has_value()) << daemon->output();
    EXPECT_EQ(*code, 0) << daemon->output();
}

}  // namespace dbustest
