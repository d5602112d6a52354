// Unit: the id in the default MQTT client id (mqtt::local_unique_id) from fake system files.
#include <gtest/gtest.h>

#include <unistd.h>

#include "Process.hpp"
#include "mqtt/ClientId.hpp"
#include "mqtt/Settings.hpp"

using testsupport::TempDir;
using testsupport::write_file;

namespace {

std::string hostname() {
    char host[256] = {};
    ::gethostname(host, sizeof host - 1);
    return host;
}

TEST(ClientId, IsTheEth0MacAsTheVrmPortalId) {
    TempDir dir;
    write_file(dir.file("address"), "C0:61:9A:B1:E2:F3\n");
    write_file(dir.file("machine-id"), "3d1219c7c4c5404aaa1f6d2a48adfda4\n");
    EXPECT_EQ(mqtt::local_unique_id({dir.file("address"), dir.file("machine-id")}), "c0619ab1e2f3");
    EXPECT_EQ(mqtt::default_client_id("c0619ab1e2f3"), "EnphaseEnvoyPV_c0619ab1e2f3");
}

TEST(ClientId, FallsBackToTheMachineIdWithoutAUsableMac) {
    TempDir dir;
    write_file(dir.file("machine-id"), "3D1219C7C4C5404AAA1F6D2A48ADFDA4\n");
    EXPECT_EQ(mqtt::local_unique_id({dir.file("missing"), dir.file("machine-id")}), "3d1219c7c4c5");
    write_file(dir.file("zero"), "00:00:00:00:00:00\n");
    EXPECT_EQ(mqtt::local_unique_id({dir.file("zero"), dir.file("machine-id")}), "3d1219c7c4c5");
    write_file(dir.file("garbage"), "not a mac\n");
    EXPECT_EQ(mqtt::local_unique_id({dir.file("garbage"), dir.file("machine-id")}), "3d1219c7c4c5");
}

TEST(ClientId, FallsBackToTheHostName) {
    TempDir dir;
    write_file(dir.file("short"), "abc\n");
    EXPECT_EQ(mqtt::local_unique_id({dir.file("missing"), dir.file("short")}), hostname());
}

}  // namespace
