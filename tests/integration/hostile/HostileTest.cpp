// Integration: a broken or hostile device at the gateway's address (envoy-sim's hostile modes:
// serials that are not serials, HTML and deeply nested JSON among valid answers, lifetime
// counters read as zero, an event line that never ends, another TLS key) and a lost bus. The
// daemon keeps serving, publishes nothing false, never hands the token to another device and
// exits only where it must (the lost bus).
#include <gtest/gtest.h>

#include <csignal>

#include "BusClient.hpp"
#include "DaemonOnBus.hpp"
#include "GoldenFile.hpp"
#include "Harness.hpp"

using namespace testsupport;
using dbustest::BusClient;

namespace {

constexpr const char* kCapture = "8.2.4345_with_device_data";
constexpr const char* kSerial = "122446001637";  // <sn> of the capture's info

class Hostile : public dbustest::DaemonOnBus {
protected:
    void start(const std::vector<std::string>& sim_args, const std::string& user = "owner", const std::string& extra = "") {
        sim = start_simulator(kCapture, sim_args);
        config = write_config(dir, sim.address(), "token = " + make_token(kCapture, user) + "\n", extra);
        start_daemon();
    }
    std::optional<dbustest::Typed> value(const std::string& path) { return value_of(kPv, path); }
    bool connected() {
        auto v = value("/Connected");
        return v && v->value == 1;
    }
    double energy() {
        auto v = value("/Ac/Energy/Forward");
        return v && v->value.is_number() ? v->value.get<double>() : -1.0;
    }
    void expect_clean_stop() {
        ASSERT_TRUE(daemon->running()) << daemon->output();
        daemon->signal(SIGTERM);
        auto code = daemon->wait_exit(15s);
        ASSERT_TRUE(code.has_value()) << daemon->output();
        EXPECT_EQ(*code, 0) << daemon->output();
        EXPECT_EQ(daemon->output().find("AddressSanitizer"), std::string::npos);
    }
};

// libdbus aborts the process on a string that is not UTF-8; a serial also names D-Bus paths.
TEST_F(Hostile, SerialsThatAreNotSerialsAreRefusedWithoutACrash) {
    bool first_round = true;
    for (const std::string serial : {"12\\xff\\xfe34", "12-3.4/5", "../../etc", ""}) {
        SCOPED_TRACE(serial);
        // The same device each time (one TLS key): the daemon pinned it in the first round.
        start({"--tls-key", dir.file("gateway.pem"), "--hostile", "serial=" + (serial.empty() ? std::string("\\x01") : serial)});
        ASSERT_TRUE(daemon->wait_for_output("is not 1 to 32 letters and digits", 15s)) << daemon->output();
        EXPECT_TRUE(daemon->wait_for_output("retrying in", 5s)) << daemon->output();
        EXPECT_TRUE(daemon->running()) << daemon->output();
        // Nothing of such a device is published. After the first round the real gateway's serial is
        // stored, so its PV inverter is there from boot, disconnected (docs/dbus.md).
        const auto shown = value("/Serial");
        EXPECT_EQ(shown.has_value(), !first_round);
        if (shown) {
            EXPECT_EQ(shown->value, kSerial);
            EXPECT_EQ(client->get_value(kPv, "/Connected").value, 0) << "nothing may be published for such a device";
        }
        first_round = false;
        // The real gateway answers again: the daemon carries on by itself.
        ASSERT_EQ(sim.control("clear"), 200);
        EXPECT_TRUE(wait_until([&] { return connected(); }, 45s)) << daemon->output();
        expect_clean_stop();
        daemon.reset();
    }
}

// One reading of 0 in the meter's lifetime counters must not move /Ac/Energy/Forward; zeros long
// enough to look like a reset, followed by the old counter, must not double it.
TEST_F(Hostile, CounterGlitchesNeverMoveTheEnergyCounter) {
    start({"--static"});
    const double expected = golden::load(kCapture)["polled"]["pv"]["energy_forward"].get<double>();
    ASSERT_TRUE(wait_until([&] { return std::abs(energy() - expected) < 0.002; }, 30s)) << daemon->output();
    // The counter over span: the first value that strays from the expected one, else that one.
    auto steady_for = [&](std::chrono::milliseconds span) {
        double seen = expected;
        const bool strayed = wait_until([&] {
            seen = energy();
            return std::abs(seen - expected) > 0.002;
        }, span);
        return strayed ? seen : expected;
    };
    ASSERT_EQ(sim.control("zero-counters=1"), 200);
    EXPECT_NEAR(steady_for(4s), expected, 0.002) << daemon->output();
    ASSERT_EQ(sim.control("zero-counters=4"), 200);
    EXPECT_TRUE(daemon->wait_for_output("a reset; counting on from", 15s)) << daemon->output();
    EXPECT_TRUE(daemon->wait_for_output("the drop was a glitch, not a reset; its offset is cancelled", 15s)) << daemon->output();
    EXPECT_NEAR(steady_for(4s), expected, 0.002) << daemon->output();
    // A restart continues exactly where it was.
    expect_clean_stop();
    start_daemon();
    ASSERT_TRUE(wait_until([&] { return connected(); }, 30s)) << daemon->output();
    EXPECT_NEAR(steady_for(3s), expected, 0.002) << daemon->output();
    expect_clean_stop();
}

TEST_F(Hostile, HtmlAndDeeplyNestedAnswersAmongValidOnesAreLoggedAndSkipped) {
    start({"--static"});
    const double power = golden::load(kCapture)["polled"]["pv"]["power"].get<double>();
    ASSERT_TRUE(wait_until([&] { return connected(); }, 30s)) << daemon->output();
    ASSERT_EQ(sim.control("html=/ivp/meters/readings=1\ndeep=/production.json=1"), 200);
    ASSERT_TRUE(daemon->wait_for_output("expected JSON but got HTML", 15s)) << daemon->output();
    ASSERT_EQ(sim.control("deep=/ivp/meters/readings=1"), 200);
    ASSERT_TRUE(daemon->wait_for_output("nested deeper than 64 levels", 15s)) << daemon->output();
    EXPECT_TRUE(wait_until([&] {
        auto v = value("/Ac/Power");
        return v && v->value.is_number() && std::abs(v->value.get<double>() - power) < 0.01;
    }, 10s));
    EXPECT_TRUE(connected());
    expect_clean_stop();
}

TEST_F(Hostile, AnEventLineThatNeverEndsGivesWayToTheReadings) {
    start({"--static", "--hostile", "endless-event"}, "installer");
    ASSERT_TRUE(daemon->wait_for_output("event larger than", 30s)) << daemon->output();
    EXPECT_TRUE(daemon->wait_for_output("source: stream -> readings", 15s)) << daemon->output();
    EXPECT_TRUE(wait_until([&] { return connected(); }, 30s)) << daemon->output();
    expect_clean_stop();
}

// Another device at the gateway's address (another TLS key): not a byte of the token reaches it.
TEST_F(Hostile, AChangedKeyGetsNoTokenUntilAccepted) {
    const std::vector<std::string> gateway_key = {"--tls-key", dir.file("gateway.pem"), "--verbose"};
    start(gateway_key, "installer");
    ASSERT_TRUE(wait_until([&] { return connected(); }, 30s)) << daemon->output();
    const int port = sim.port;
    sim.process->signal(SIGKILL);
    sim.process->wait_exit(5s);
    sim = start_simulator(kCapture, {"--tls-key", dir.file("impostor.pem"), "--verbose"}, port);

    ASSERT_TRUE(daemon->wait_for_output("no token is sent to it", 45s)) << daemon->output();
    EXPECT_TRUE(daemon->wait_for_output("--accept-certificate", 1s)) << daemon->output();
    EXPECT_TRUE(wait_until([&] { return value("/Connected") && value("/Connected")->value == 0; }, 10s));
    auto connection = value("/Mgmt/Connection");
    ASSERT_TRUE(connection.has_value());
    EXPECT_NE(connection->value.get<std::string>().find("the gateway's key changed"), std::string::npos) << connection->value;
    EXPECT_EQ(count_of(daemon->output(), "no token is sent to it"), 1u) << "one ERROR line per episode";
    // The impostor saw nothing but the unauthenticated /info (it logs a request after answering it).
    EXPECT_TRUE(wait_until([&] { return sim.process->output().find("GET /info") != std::string::npos; }, 5s))
        << sim.process->output();
    const std::string seen = sim.process->output();
    for (const char* path : {"/auth/check_jwt", "/ivp/", "/stream/meter", "/production", "/api/"}) {
        EXPECT_EQ(seen.find(std::string("GET ") + path), std::string::npos) << path << "\n" << seen;
    }

    // The documented way back: accept the key the device presents now.
    Process accept(daemon_command(config, {"--accept-certificate"}));
    auto code = accept.wait_exit(30s);
    ASSERT_TRUE(code.has_value()) << accept.output();
    EXPECT_EQ(*code, 0) << accept.output();
    EXPECT_NE(accept.output().find("accepted the key sha256//"), std::string::npos) << accept.output();
    EXPECT_TRUE(wait_until([&] { return connected(); }, 45s)) << daemon->output();
    expect_clean_stop();
}

TEST_F(Hostile, ATokenForAnotherSerialIsRefusedEvenWithTheRightKey) {
    start({"--static"}, "owner");
    ASSERT_TRUE(wait_until([&] { return connected(); }, 30s)) << daemon->output();
    expect_clean_stop();
    // The same device now claims another serial: the configured token names the real one.
    ASSERT_EQ(sim.control("serial=122446009999"), 200);
    start_daemon();
    auto code = daemon->wait_exit(30s);
    ASSERT_TRUE(code.has_value()) << daemon->output();
    EXPECT_EQ(*code, 2) << daemon->output();
    EXPECT_NE(daemon->output().find("issued for gateway 122446001637, but this gateway is 122446009999"), std::string::npos)
        << daemon->output();
}

// A lost bus loses every registered name: the daemon exits so that the supervisor starts a
// fresh process that registers again.
TEST_F(Hostile, ALostBusEndsTheProcess) {
    start({"--static"});
    ASSERT_TRUE(wait_until([&] { return connected(); }, 30s)) << daemon->output();
    bus.kill();
    auto code = daemon->wait_exit(15s);
    ASSERT_TRUE(code.has_value()) << daemon->output();
    EXPECT_EQ(*code, 1) << daemon->output();
    EXPECT_NE(daemon->output().find("lost the connection to the bus"), std::string::npos) << daemon->output();
}

}  // namespace
