// Tests of [ENVOY] address: host names, IPv4, IPv6, ports and forced schemes.
#include <gtest/gtest.h>

#include "ConfigFile.hpp"

using configtest::ConfigFile;

namespace {

struct AddressCase {
    std::string address;
    std::string host;
    std::optional<int> port;
    std::optional<std::string> scheme;
    std::string authority;
};

}  // namespace

TEST(ConfigAddress, FormsAreSplitIntoHostPortAndScheme) {
    const std::vector<AddressCase> cases = {
        {"192.168.1.50", "192.168.1.50", std::nullopt, std::nullopt, "192.168.1.50"},
        {"envoy.local", "envoy.local", std::nullopt, std::nullopt, "envoy.local"},
        {"Envoy-Garage_1", "Envoy-Garage_1", std::nullopt, std::nullopt, "Envoy-Garage_1"},
        {"192.168.1.50:8443", "192.168.1.50", 8443, std::nullopt, "192.168.1.50:8443"},
        {"envoy.local:80", "envoy.local", 80, std::nullopt, "envoy.local:80"},
        {"[fe80::1]:8443", "fe80::1", 8443, std::nullopt, "[fe80::1]:8443"},
        {"[fe80::1]", "fe80::1", std::nullopt, std::nullopt, "[fe80::1]"},
        {"fe80::1", "fe80::1", std::nullopt, std::nullopt, "[fe80::1]"},
        {"[fe80::1%eth0]:443", "fe80::1%eth0", 443, std::nullopt, "[fe80::1%eth0]:443"},
        {"2001:db8::10", "2001:db8::10", std::nullopt, std::nullopt, "[2001:db8::10]"},
        {"https://192.168.1.50", "192.168.1.50", std::nullopt, "https", "192.168.1.50"},
        {"HTTP://envoy.local/", "envoy.local", std::nullopt, "http", "envoy.local"},
        {"https://[fe80::1]:8443", "fe80::1", 8443, "https", "[fe80::1]:8443"},
        {"http://127.0.0.1:65535", "127.0.0.1", 65535, "http", "127.0.0.1:65535"},
    };
    for (const AddressCase& expected : cases) {
        ConfigFile file("[ENVOY]\naddress = " + expected.address + "\n");
        const config::Config c = file.load();
        EXPECT_EQ(c.envoy.host, expected.host) << expected.address;
        EXPECT_EQ(c.envoy.port, expected.port) << expected.address;
        EXPECT_EQ(c.envoy.scheme, expected.scheme) << expected.address;
        EXPECT_EQ(c.envoy.authority(), expected.authority) << expected.address;
    }
}
