// Integration: the daemon and its broker. A broker that dies and comes back on the same port
// (publishing resumes, D-Bus never notices), a broker that is down at start (D-Bus served, one
// clear line), TLS with a test CA and a username/password (the password never logged, even at
// DEBUG), a refused login, and the last will when the daemon is killed.
#include <csignal>
#include <cstdio>
#include <set>

#include "DaemonMqtt.hpp"
#include "GoldenFile.hpp"

using namespace testsupport;

namespace mqttdaemon {
namespace {

constexpr const char* kCannotConnect = "MQTT: cannot connect to broker";
constexpr const char* kFailedAgain = "failed again";

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

class BrokerLink : public DaemonMqtt {};

TEST_F(BrokerLink, RestartedBrokerGetsDataAgainWhileDbusKeepsUpdating) {
    broker = std::make_unique<mqtttest::Broker>();
    start(k3Phase, "installer", {"--stream-interval-ms", "250"}, mqtt_section(broker->port(), "publish_interval = 1"));
    ASSERT_TRUE(pv_connected_is(1)) << daemon->output();
    ASSERT_TRUE(wait_until([&] { return subscriber->count(kMeters) > 0; }, 30s)) << daemon->output();

    subscriber.reset();
    broker->kill();
    ASSERT_TRUE(daemon->wait_for_output("MQTT: connection to broker 127.0.0.1:" + std::to_string(broker->port()) + " lost", 15s))
        << daemon->output();
    // Outage: D-Bus keeps getting every sample.
    std::set<int> indexes;
    bool always_connected = true;
    auto outage_start = Clock::now();
    wait_until([&] {
        auto connected = client->get_value(kPv, "/Connected").value;
        always_connected = always_connected && connected == 1;
        indexes.insert(client->get_value(kPv, "/UpdateIndex").value.get<int>());
        return false;
    }, 6s);
    EXPECT_TRUE(always_connected);
    EXPECT_GE(indexes.size(), 10u) << "distinct /UpdateIndex values in 6 s of broker outage";
    EXPECT_TRUE(daemon->running());

    broker->start();
    auto restarted = Clock::now();
    subscriber = std::make_unique<mqtttest::Subscriber>(broker->port());
    ASSERT_TRUE(wait_until([&] { return subscriber->count(kMeters) > 0; }, 30s)) << daemon->output();
    double resumed = seconds_since(restarted);
    EXPECT_LT(resumed, 30.0);
    EXPECT_TRUE(wait_until([&] { return subscriber->last(kStatus) == "online"; }, 5s));
    std::printf("broker outage %.1f s: meters published again %.1f s after the broker restarted\n",
                std::chrono::duration<double>(restarted - outage_start).count(), resumed);
    EXPECT_EQ(client->get_value(kPv, "/Connected").value, 1);
    stop_daemon();
}

TEST_F(BrokerLink, BrokerDownAtStartDbusIsServedAndOneLineSaysWhy) {
    auto later = std::make_unique<mqtttest::Broker>();
    int port = later->port();
    later->kill();
    start(k1Phase, "owner", {"--static"}, mqtt_section(port) + kDebug);
    ASSERT_TRUE(pv_connected_is(1)) << daemon->output();
    // Several attempts, one warning line; the repeats are DEBUG.
    ASSERT_TRUE(wait_until([&] { return daemon_count(kFailedAgain) >= 2; }, 30s)) << daemon->output();
    EXPECT_EQ(daemon_count(kCannotConnect), 1u) << daemon->output();
    EXPECT_EQ(daemon_count("WARNING: " + std::string(kCannotConnect) + " 127.0.0.1:" + std::to_string(port) +
                           ": Connection refused; retrying in 1 s"),
              1u)
        << daemon->output();
    EXPECT_EQ(client->get_value(kPv, "/Connected").value, 1);

    broker = std::move(later);
    broker->start();
    auto started = Clock::now();
    subscriber = std::make_unique<mqtttest::Subscriber>(broker->port());
    ASSERT_TRUE(wait_until([&] { return subscriber->count(kMeters) > 0; }, 40s)) << daemon->output();
    std::printf("broker started late: meters published %.1f s after it came up\n", seconds_since(started));
    EXPECT_EQ(subscriber->last(kStatus), "online");
    stop_daemon();
}

class BrokerWithLogin : public DaemonMqtt {
protected:
    TempDir certs;
    const std::string user = "envoy";
    const std::string password = "pa#ss;w0rd-Secret-77";

    void SetUp() override {
        ASSERT_TRUE(mqtttest::make_test_certificates(certs.path()));
        broker = std::make_unique<mqtttest::Broker>(mqtttest::BrokerOptions{user, password, certs.path()});
        subscriber_options = {user, password, certs.file("ca.pem")};
    }

    std::string tls_keys(const std::string& login_password) const {
        return "tls_enabled = 1\ntls_path_to_ca = " + certs.file("ca.pem") + "\nusername = " + user +
               "\npassword = " + login_password + "\n";
    }
};

TEST_F(BrokerWithLogin, TlsWithTestCaAndPasswordPublishesAndNeverLogsThePassword) {
    start(k1Phase, "owner", {"--static"},
          mqtt_section(broker->port(), tls_keys(password) + "client_id = my-envoy-client\n") + kDebug);
    ASSERT_TRUE(pv_connected_is(1)) << daemon->output();
    EXPECT_TRUE(daemon->wait_for_output(
        "MQTT: connected to broker 127.0.0.1:" + std::to_string(broker->port()) + " (TLS) as my-envoy-client", 30s))
        << daemon->output();
    Json meters = wait_for_json(kMeters);
    ASSERT_TRUE(meters.is_object()) << daemon->output();
    EXPECT_EQ(golden::compare_meters(meters, golden::load(k1Phase)["polled"]), "");
    EXPECT_EQ(subscriber->last(kStatus), "online");
    stop_daemon();
    EXPECT_NE(daemon->output().find("DEBUG"), std::string::npos);
    EXPECT_EQ(daemon->output().find(password), std::string::npos) << daemon->output();
    EXPECT_EQ(daemon->output().find("w0rd-Secret"), std::string::npos);
}

TEST_F(BrokerWithLogin, WrongPasswordIsRefusedInOneLineWithoutThePassword) {
    const std::string wrong = "wrong-Secret-42";
    start(k1Phase, "owner", {"--static"}, mqtt_section(broker->port(), tls_keys(wrong)) + kDebug);
    ASSERT_TRUE(pv_connected_is(1)) << daemon->output();
    ASSERT_TRUE(wait_until([&] { return daemon_count(kFailedAgain) >= 1; }, 30s)) << daemon->output();
    EXPECT_EQ(daemon_count(kCannotConnect), 1u) << daemon->output();
    EXPECT_EQ(daemon_count("broker refused the connection"), daemon_count(kCannotConnect) + daemon_count(kFailedAgain))
        << daemon->output();
    EXPECT_NE(daemon->output().find("(check username and password)"), std::string::npos) << daemon->output();
    EXPECT_EQ(subscriber->count(kMeters), 0u);
    EXPECT_EQ(client->get_value(kPv, "/Connected").value, 1);
    stop_daemon();
    EXPECT_EQ(daemon->output().find(wrong), std::string::npos) << daemon->output();
}

TEST_F(BrokerLink, KilledDaemonLeavesOfflineAsItsLastWill) {
    broker = std::make_unique<mqtttest::Broker>();
    start(k1Phase, "owner", {"--static"}, mqtt_section(broker->port()));
    ASSERT_TRUE(wait_until([&] { return subscriber->last(kStatus) == "online"; }, 30s)) << daemon->output();
    daemon->signal(SIGKILL);
    daemon->wait_exit(10s);
    EXPECT_TRUE(wait_until([&] { return subscriber->last(kStatus) == "offline"; }, 10s));
    mqtttest::Subscriber late(broker->port());
    ASSERT_TRUE(wait_until([&] { return late.count(kStatus) > 0; }, 10s));
    EXPECT_EQ(late.messages(kStatus).back().payload, "offline");
}

}  // namespace
}  // namespace mqttdaemon
