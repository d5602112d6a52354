// Integration: every capture of tests/data/envoy against its golden.json (see Golden.hpp), through
// `--once`, and through the daemon on D-Bus (PV inverter and grid meter) and on the MQTT meters
// topic: with the polled sources (an owner token, or --once), and with the meter stream (an
// installer token, or pre-7 firmware) where the capture can stream. The simulator serves each
// capture unchanged (--static).
#include <gtest/gtest.h>

#include <csignal>

#include "Broker.hpp"
#include "Subscriber.hpp"
#include "GoldenDbus.hpp"
#include "Harness.hpp"

using namespace testsupport;
using golden::Json;

namespace {

constexpr const char* kMeters = "enphase/envoy-s/meters";
constexpr const char* kBattery = "enphase/envoy-s/battery";

std::string test_name(const ::testing::TestParamInfo<std::string>& info) {
    std::string name = info.param;
    for (char& c : name) {
        if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
    }
    return name;
}

std::string token_line(const std::string& capture, const std::string& user) {
    return golden::token_firmware(capture) ? "token = " + make_token(capture, user) + "\n" : std::string();
}

Json meters_json(const std::string& output) {
    auto start = output.find("{\"pv\"");
    if (start == std::string::npos) start = output.find("{}");
    if (start == std::string::npos) return nullptr;
    return Json::parse(output.substr(start, output.find('\n', start) - start), nullptr, false);
}

// The daemon with D-Bus, the grid meter and MQTT, until the figures of `block` are on D-Bus and
// on the meters topic.
// With [BATTERY] enabled, the battery service and the battery topic show golden.json's battery
// object (or, without batteries, there is no battery service).
void check_daemon(const std::string& capture, const std::string& user, const Json& block) {
    const Json battery = golden::load(capture).value("battery", Json());
    SCOPED_TRACE(capture + " (" + (user.empty() ? "pre-7" : user + " token") + ", " + block["source"].get<std::string>() + ")");
    PrivateBus bus;
    TempDir dir;
    mqtttest::Broker broker;
    mqtttest::Subscriber subscriber(broker.port());
    Simulator sim = start_simulator(capture, {"--static"});
    std::string extra = "[GRID]\nenabled = 1\n\n[BATTERY]\nenabled = 1\n\n[MQTT]\nenabled = 1\nbroker_address = 127.0.0.1\nbroker_port = " +
                        std::to_string(broker.port()) + "\npublish_interval = 1\n";
    auto config = write_config(dir, sim.address(), token_line(capture, user), extra);
    Process daemon(daemon_command(config), bus.environment());
    dbustest::BusClient client(bus.address());
    std::string on_dbus = "not checked yet", on_mqtt = "not checked yet";
    bool matched = wait_until([&] {
        on_dbus = golden::compare_dbus(client, block, true);
        std::string payload = subscriber.last(kMeters);
        on_mqtt = golden::compare_meters(payload.empty() ? Json() : Json::parse(payload, nullptr, false), block);
        if (on_dbus.empty()) on_dbus = golden::compare_battery_dbus(client, battery);
        if (on_mqtt.empty() && !battery.is_null()) {
            payload = subscriber.last(kBattery);
            on_mqtt = golden::compare_battery(payload.empty() ? Json() : Json::parse(payload, nullptr, false), battery);
        }
        return on_dbus.empty() && on_mqtt.empty();
    }, 45s);
    EXPECT_TRUE(matched) << "D-Bus: " << on_dbus << "\nMQTT: " << on_mqtt << "\n" << daemon.output();
    daemon.signal(SIGTERM);
    auto code = daemon.wait_exit(15s);
    ASSERT_TRUE(code.has_value()) << daemon.output();
    EXPECT_EQ(*code, 0) << daemon.output();
}

class Golden : public ::testing::TestWithParam<std::string> {};

TEST_P(Golden, OncePrintsThePolledFigures) {
    const std::string capture = GetParam();
    const Json expected = golden::load(capture);
    Simulator sim = start_simulator(capture, {"--static"});
    TempDir dir;
    auto config = write_config(dir, sim.address(), token_line(capture, "owner"));
    Process once(daemon_command(config, {"--once"}));
    auto code = once.wait_exit(60s);
    ASSERT_TRUE(code.has_value()) << once.output();
    ASSERT_EQ(*code, 0) << once.output();
    const Json printed = meters_json(once.output());
    EXPECT_EQ(golden::compare_meters(printed, expected["polled"]), "") << once.output();
    EXPECT_EQ(golden::compare_battery(printed.is_object() ? printed.value("battery", Json()) : Json(),
                                      expected.value("battery", Json())),
              "")
        << once.output();
}

TEST_P(Golden, DaemonPublishesThePolledFiguresOnDbusAndMqtt) {
    const std::string capture = GetParam();
    const Json expected = golden::load(capture);
    if (golden::token_firmware(capture)) {
        check_daemon(capture, "owner", expected["polled"]);
    } else {
        // Pre-7 firmware streams with the installer password derived from the serial.
        check_daemon(capture, "", expected["streamed"].is_null() ? expected["polled"] : expected["streamed"]);
    }
}

INSTANTIATE_TEST_SUITE_P(EveryCapture, Golden, ::testing::ValuesIn(golden::captures()), test_name);

std::vector<std::string> streaming_token_captures() {
    std::vector<std::string> out;
    for (const auto& capture : golden::captures()) {
        if (golden::token_firmware(capture) && !golden::load(capture)["streamed"].is_null()) out.push_back(capture);
    }
    return out;
}

class GoldenStream : public ::testing::TestWithParam<std::string> {};

TEST_P(GoldenStream, InstallerTokenPublishesTheStreamedFigures) {
    const std::string capture = GetParam();
    check_daemon(capture, "installer", golden::load(capture)["streamed"]);
}

INSTANTIATE_TEST_SUITE_P(EveryStreamingCapture, GoldenStream, ::testing::ValuesIn(streaming_token_captures()), test_name);

}  // namespace
