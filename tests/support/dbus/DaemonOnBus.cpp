// tests/support/dbus: the daemon-on-D-Bus fixture.
#include "DaemonOnBus.hpp"

namespace dbustest {

void DaemonOnBus::start_daemon() {
    daemon = std::make_unique<testsupport::Process>(testsupport::daemon_command(config), bus.environment());
    if (!client) client = std::make_unique<BusClient>(bus.address());
}

std::optional<Typed> DaemonOnBus::value_of(const std::string& service, const std::string& path) {
    try {
        return client->get_value(service, path);
    } catch (const std::exception&) {
        return std::nullopt;
    }
}

}  // namespace dbustest
