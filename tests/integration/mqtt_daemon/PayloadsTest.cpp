// Integration: every topic the daemon publishes, checked key by key and value by value against
// what the capture files give, for a 1-phase and a 3-phase gateway; the availability topic;
// the client id; and the microinverter counts on D-Bus that follow the fetched inverters.
#include <ctime>
#include <regex>
#include <set>

#include "DaemonMqtt.hpp"
#include "GoldenFile.hpp"
#include "mqtt/ClientId.hpp"
#include "mqtt/Settings.hpp"

using namespace testsupport;

namespace mqttdaemon {
namespace {

class Payloads : public DaemonMqtt {
protected:
    void start_with_data(const std::string& capture) {
        broker = std::make_unique<mqtttest::Broker>();
        start(capture, "owner", {"--static"},
              mqtt_section(broker->port(), "publish_interval = 1") +
                  "[DATA]\nfetch_devices = 1\nfetch_inverters = 1\nfetch_events = 1\n");
        ASSERT_TRUE(pv_connected_is(1)) << daemon->output();
    }

    void expect_meters(const std::string& capture) {
        const auto expected = golden::load(capture)["polled"];
        Json actual = wait_for_json(kMeters);
        ASSERT_TRUE(actual.is_object()) << daemon->output();
        EXPECT_EQ(golden::compare_meters(actual, expected), "") << actual.dump(1);
        EXPECT_EQ(meters_shape(actual), "") << actual.dump(1);
        // Every meters message so far carried the complete values: no partial first payload.
        for (const auto& message : subscriber->messages(kMeters)) {
            EXPECT_EQ(golden::compare_meters(Json::parse(message.payload), expected), "") << message.payload;
        }
    }

    void expect_devices_and_inverters(const std::string& capture) {
        Json devices = wait_for_json(kDevices);
        ASSERT_TRUE(devices.is_object()) << daemon->output();
        EXPECT_EQ(difference(devices, expected_devices(capture)), "") << devices.dump(1);
        Json inverters = wait_for_json(kInverters);
        ASSERT_TRUE(inverters.is_object()) << daemon->output();
        EXPECT_EQ(difference(inverters, expected_inverters(capture, newest_report_date(capture))), "") << inverters.dump(1);
    }

    // The simulator generates the latest events from the capture's inverters: ids 1003..1012 of
    // the 10 newest, each {"message", "serialNumber", "type", "datetime"}.
    void expect_events(const std::string& capture) {
        Json events = wait_for_json(kEvents);
        ASSERT_TRUE(events.is_object()) << daemon->output();
        auto serials = inverter_serials(capture);
        std::set<std::string> known(serials.begin(), serials.end());
        known.insert("");
        std::vector<std::string> ids;
        for (const auto& item : events.items()) {
            ids.push_back(item.key());
            const Json& event = item.value();
            std::vector<std::string> keys;
            for (const auto& field : event.items()) keys.push_back(field.key());
            EXPECT_EQ(keys, (std::vector<std::string>{"message", "serialNumber", "type", "datetime"})) << event.dump();
            EXPECT_FALSE(event["message"].get<std::string>().empty());
            EXPECT_TRUE(known.count(event["serialNumber"].get<std::string>())) << event.dump();
            EXPECT_TRUE(event["type"] == "PCU" || event["type"] == "Envoy") << event.dump();
            EXPECT_TRUE(std::regex_match(event["datetime"].get<std::string>(),
                                         std::regex(R"([A-Z][a-z]{2} [A-Z][a-z]{2} \d{2}, \d{4} \d{2}:\d{2} [AP]M UTC)")))
                << event.dump();
        }
        std::vector<std::string> expected_ids;
        for (int id = 1003; id <= 1012; ++id) expected_ids.push_back(std::to_string(id));
        EXPECT_EQ(ids, expected_ids);
    }

    // Counts from the fetched inverters: configured = the inventory's inverters; reporting =
    // reports at most 1200 s older than the newest one; producing = reporting with W > 0.
    void expect_microinverter_counts(const std::string& capture) {
        int configured = static_cast<int>(inverter_serials(capture).size());
        const auto now = newest_report_date(capture);  // the gateway's clock, not this machine's
        int reporting = reporting_inverters(capture, now);
        int producing = producing_inverters(capture, now);
        ASSERT_TRUE(wait_until([&] { return client->get_value(kPv, "/Enphase/MicroInvertersConfig").value == configured; }, 30s))
            << client->get_value(kPv, "/Enphase/MicroInvertersConfig").value.dump();
        EXPECT_EQ(client->get_value(kPv, "/Enphase/MicroInvertersReporting").value, reporting);
        EXPECT_EQ(client->get_value(kPv, "/Enphase/MicroInvertersProducing").value, producing);
        std::string name = std::to_string(producing) + " of " + std::to_string(configured) + " \u26A1";
        if (configured > reporting) name += " (" + std::to_string(configured - reporting) + " u/a)";
        EXPECT_EQ(client->get_value(kPv, "/DeviceName").value, name);
    }

    void expect_availability_and_client_id() {
        ASSERT_TRUE(wait_until([&] { return subscriber->last(kStatus) == "online"; }, 30s)) << daemon->output();
        mqtttest::Subscriber late(broker->port());
        ASSERT_TRUE(wait_until([&] { return late.count(kStatus) > 0; }, 10s));
        EXPECT_EQ(late.messages(kStatus).back().payload, "online");
        EXPECT_TRUE(late.messages(kStatus).back().retained);

        auto id = daemon->wait_for_match(R"(MQTT: connected to broker 127\.0\.0\.1:[0-9]+ as (\S+))", 10s);
        ASSERT_TRUE(id.has_value()) << daemon->output();
        EXPECT_EQ(*id, mqtt::default_client_id(mqtt::local_unique_id()));
        EXPECT_TRUE(std::regex_match(*id, std::regex("EnphaseEnvoyPV_.+"))) << *id;
    }

    void expect_offline_after_stop() {
        stop_daemon();
        EXPECT_TRUE(wait_until([&] { return subscriber->last(kStatus) == "offline"; }, 10s));
        mqtttest::Subscriber late(broker->port());
        ASSERT_TRUE(wait_until([&] { return late.count(kStatus) > 0; }, 10s));
        EXPECT_EQ(late.messages(kStatus).back().payload, "offline");
        EXPECT_TRUE(late.messages(kStatus).back().retained);
    }

    void check_everything(const std::string& capture) {
        start_with_data(capture);
        expect_meters(capture);
        expect_devices_and_inverters(capture);
        expect_events(capture);
        expect_microinverter_counts(capture);
        expect_availability_and_client_id();
        expect_offline_after_stop();
    }
};

TEST_F(Payloads, OnePhaseGatewayEveryTopicMatchesTheCapture) {
    check_everything(k1Phase);
    // The upstream keys beyond golden.json's figures, as the capture has them: production.json's
    // day and lifetime counters and the readings' reactive and apparent power, power factor and
    // frequency.
    Json pv = last_json(*subscriber, kMeters)["pv"];
    EXPECT_EQ(pv["whToday"], 13439.514);
    EXPECT_EQ(pv["vahToday"], 16483.926);
    EXPECT_EQ(pv["whLifetime"], 1243811.514);
    EXPECT_EQ(pv["power_react"], -886.389);
    EXPECT_EQ(pv["power_appearent"], 1282.057);
    EXPECT_EQ(pv["L1"]["power_factor"], 0.654);
    EXPECT_EQ(pv["L1"]["frequency"], 50.062);
    Json consumption = last_json(*subscriber, kMeters)["consumption"];
    EXPECT_EQ(consumption["whToday"], 14566.311);
    EXPECT_EQ(consumption["vahToday"], 16553.849);
}

TEST_F(Payloads, ThreePhaseGatewayEveryTopicMatchesTheCapture) { check_everything(k3Phase); }

// Without [DATA] fetch_devices the configured count is the number of inverter reports, and
// the devices, inverters and events topics stay silent.
TEST_F(Payloads, WithoutDataFetchesOnlyMetersAndAvailabilityArePublished) {
    broker = std::make_unique<mqtttest::Broker>();
    start(k3Phase, "owner", {"--static"}, mqtt_section(broker->port()));
    ASSERT_TRUE(pv_connected_is(1)) << daemon->output();
    ASSERT_TRUE(wait_for_json(kMeters).is_object()) << daemon->output();
    int reports = static_cast<int>(inverter_serials(k3Phase).size());
    EXPECT_TRUE(wait_until([&] { return client->get_value(kPv, "/Enphase/MicroInvertersConfig").value == reports; }, 30s));
    EXPECT_EQ(subscriber->count(kDevices), 0u);
    EXPECT_EQ(subscriber->count(kInverters), 0u);
    EXPECT_EQ(subscriber->count(kEvents), 0u);
    EXPECT_EQ(subscriber->last(kStatus), "online");
    stop_daemon();
}

}  // namespace
}  // namespace mqttdaemon
