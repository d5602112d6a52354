// tests/unit/mqtt: validation of the publisher's settings and the default client id.
#include <gtest/gtest.h>

#include "mqtt/Settings.hpp"

namespace {

mqtt::Settings good() {
    mqtt::Settings s;
    s.host = "127.0.0.1";
    s.client_id = mqtt::default_client_id("c0619ab12345");
    return s;
}

TEST(MqttSettings, DefaultClientId) { EXPECT_EQ(mqtt::default_client_id("c0619ab12345"), "EnphaseEnvoyPV_c0619ab12345"); }

// One of several gateways on the GX: its name follows, so that two processes never share an id.
TEST(MqttSettings, DefaultClientIdOfANamedGateway) {
    EXPECT_EQ(mqtt::default_client_id("c0619ab12345", "garage"), "EnphaseEnvoyPV_c0619ab12345-garage");
}

TEST(MqttSettings, GoodSettingsPass) { EXPECT_EQ(mqtt::validate(good()), std::nullopt); }

TEST(MqttSettings, EachProblemIsNamed) {
    auto s = good();
    s.host.clear();
    EXPECT_EQ(mqtt::validate(s), "MQTT broker address is empty");
    s = good();
    s.port = 70000;
    EXPECT_EQ(mqtt::validate(s), "MQTT broker port 70000 is not in 1..65535");
    s = good();
    s.publish_interval = 0;
    EXPECT_EQ(mqtt::validate(s), "MQTT publish_interval 0 s is below the minimum of 1 s");
    s = good();
    s.topic_meters = "a/#";
    EXPECT_EQ(mqtt::validate(s), "MQTT topic_meters \"a/#\" contains a wildcard (+ or #)");
    s = good();
    s.tls_enabled = true;
    s.ca_file = "/nonexistent/ca.pem";
    EXPECT_EQ(mqtt::validate(s), "MQTT TLS CA file \"/nonexistent/ca.pem\" cannot be read");
}

TEST(MqttSettings, PasswordNeverInTheMessage) {
    auto s = good();
    s.password = "hunter2-secret";
    const std::string message = mqtt::validate(s).value_or("");
    EXPECT_EQ(message, "MQTT password given without a username");
    EXPECT_EQ(message.find("hunter2"), std::string::npos);
}

}  // namespace
