// tests/unit/mqtt: exact shapes and values of the meters, devices, inverters and events payloads.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "mqtt/Encoders.hpp"

namespace {

using nlohmann::json;

std::vector<std::string> keys(const json& object) {
    std::vector<std::string> result;
    for (auto it = object.begin(); it != object.end(); ++it) result.push_back(it.key());
    return result;
}

// nlohmann::ordered_json keeps the text's order, so key order can be asserted.
std::vector<std::string> ordered_keys(const std::string& text, const std::vector<std::string>& path) {
    nlohmann::ordered_json value = nlohmann::ordered_json::parse(text);
    for (const auto& step : path) value = value.at(step);
    std::vector<std::string> result;
    for (auto it = value.begin(); it != value.end(); ++it) result.push_back(it.key());
    return result;
}

const std::vector<std::string> kPhaseKeys = {"power",    "current",  "voltage",    "power_react",
                                             "power_appearent", "power_factor", "frequency", "whToday",
                                             "vahToday", "whLifetime", "vahLifetime", "energy_forward"};
const std::vector<std::string> kTotalKeys = {"power",    "current",    "voltage",     "power_react",
                                             "power_appearent", "whToday", "vahToday", "whLifetime",
                                             "vahLifetime", "energy_forward"};

std::vector<std::string> with_reverse(std::vector<std::string> list) {
    list.push_back("energy_reverse");
    return list;
}

model::PhaseValues phase(double power, double voltage) {
    model::PhaseValues p;
    p.power = power;
    p.current = power / voltage;
    p.voltage = voltage;
    p.reactive_power = 10.5;
    p.apparent_power = power + 1;
    p.power_factor = 0.99;
    p.frequency = 50.01;
    p.wh_today = 1234;
    p.vah_today = 1300;
    p.wh_lifetime = 5000000;
    p.vah_lifetime = 5100000;
    p.energy_forward = 5000.123;
    p.energy_reverse = 42.5;
    return p;
}

model::Snapshot three_phase() {
    model::Snapshot s;
    s.source = model::Source::Stream;
    for (model::MeterValues* meter : {&s.pv, &s.grid, &s.consumption}) {
        meter->present = true;
        meter->phase_count = 3;
        meter->phases = {phase(1000, 230.1), phase(2000, 231.2), phase(3000, 229.9)};
        meter->total = phase(6000, 230.4);
    }
    return s;
}

TEST(MqttEncodeMeters, ThreePhaseHasAllPhasesAndTotalsInOrder) {
    std::string text = mqtt::encode_meters(three_phase());
    json j = json::parse(text);
    EXPECT_EQ(ordered_keys(text, {}), (std::vector<std::string>{"pv", "grid", "consumption"}));
    std::vector<std::string> pv_keys = {"L1", "L2", "L3"};
    pv_keys.insert(pv_keys.end(), kTotalKeys.begin(), kTotalKeys.end());
    EXPECT_EQ(ordered_keys(text, {"pv"}), pv_keys);
    EXPECT_EQ(ordered_keys(text, {"pv", "L2"}), kPhaseKeys);
    EXPECT_EQ(ordered_keys(text, {"consumption", "L3"}), kPhaseKeys);
    std::vector<std::string> grid_keys = {"L1", "L2", "L3"};
    auto grid_totals = with_reverse(kTotalKeys);
    grid_keys.insert(grid_keys.end(), grid_totals.begin(), grid_totals.end());
    EXPECT_EQ(ordered_keys(text, {"grid"}), grid_keys);
    EXPECT_EQ(ordered_keys(text, {"grid", "L1"}), with_reverse(kPhaseKeys));

    EXPECT_DOUBLE_EQ(j["pv"]["L2"]["power"].get<double>(), 2000.0);
    EXPECT_DOUBLE_EQ(j["pv"]["L2"]["voltage"].get<double>(), 231.2);
    EXPECT_DOUBLE_EQ(j["pv"]["L2"]["current"].get<double>(), 8.651);  // 2000/231.2 rounded to 3 decimals
    EXPECT_DOUBLE_EQ(j["pv"]["L2"]["power_factor"].get<double>(), 0.99);
    EXPECT_DOUBLE_EQ(j["pv"]["L2"]["frequency"].get<double>(), 50.01);
    EXPECT_DOUBLE_EQ(j["pv"]["L2"]["power_react"].get<double>(), 10.5);
    EXPECT_DOUBLE_EQ(j["pv"]["L2"]["power_appearent"].get<double>(), 2001.0);
    EXPECT_DOUBLE_EQ(j["pv"]["L2"]["whToday"].get<double>(), 1234.0);
    EXPECT_DOUBLE_EQ(j["pv"]["L2"]["vahLifetime"].get<double>(), 5100000.0);
    EXPECT_DOUBLE_EQ(j["pv"]["power"].get<double>(), 6000.0);
    EXPECT_DOUBLE_EQ(j["pv"]["voltage"].get<double>(), 230.4);  // the model's average
    EXPECT_DOUBLE_EQ(j["grid"]["energy_forward"].get<double>(), 5000.123);
    EXPECT_DOUBLE_EQ(j["grid"]["energy_reverse"].get<double>(), 42.5);
    EXPECT_DOUBLE_EQ(j["grid"]["L3"]["energy_reverse"].get<double>(), 42.5);
}

TEST(MqttEncodeMeters, RoundsToThreeDecimalsWithoutArtifacts) {
    model::Snapshot s;
    s.grid.present = true;
    s.grid.phase_count = 1;
    s.grid.phases[0].voltage = 230.10000000000002;
    s.grid.phases[0].power = -1.23456;
    s.grid.phases[0].current = -0.0001;  // rounds to 0, not -0
    s.grid.total = s.grid.phases[0];
    std::string text = mqtt::encode_meters(s);
    EXPECT_NE(text.find("\"voltage\":230.1,"), std::string::npos) << text;
    EXPECT_NE(text.find("\"power\":-1.235,"), std::string::npos) << text;
    EXPECT_NE(text.find("\"current\":0.0,"), std::string::npos) << text;
}

TEST(MqttEncodeMeters, OnePhaseOnlyPresentMetersAndNullForUnknown) {
    model::Snapshot s;
    s.pv.present = true;
    s.pv.phase_count = 1;
    s.pv.phases[0].power = 350;
    s.pv.phases[0].voltage = 240;
    s.pv.total.power = 350;
    s.pv.total.voltage = 240;
    std::string text = mqtt::encode_meters(s);
    json j = json::parse(text);
    EXPECT_EQ(keys(j), (std::vector<std::string>{"pv"}));
    std::vector<std::string> pv_keys = {"L1"};
    pv_keys.insert(pv_keys.end(), kTotalKeys.begin(), kTotalKeys.end());
    EXPECT_EQ(ordered_keys(text, {"pv"}), pv_keys);
    EXPECT_EQ(ordered_keys(text, {"pv", "L1"}), kPhaseKeys);
    EXPECT_DOUBLE_EQ(j["pv"]["L1"]["power"].get<double>(), 350.0);
    EXPECT_DOUBLE_EQ(j["pv"]["voltage"].get<double>(), 240.0);
    EXPECT_TRUE(j["pv"]["L1"]["current"].is_null());
    EXPECT_TRUE(j["pv"]["L1"]["frequency"].is_null());
    EXPECT_TRUE(j["pv"]["energy_forward"].is_null());
    EXPECT_TRUE(j["pv"]["whLifetime"].is_null());
}

TEST(MqttEncodeMeters, NoMeterPresentIsAnEmptyObject) {
    EXPECT_EQ(mqtt::encode_meters(model::Snapshot{}), "{}");
}

TEST(MqttEncodeMeters, GridOnePhaseHasEnergyReverse) {
    model::Snapshot s;
    s.grid.present = true;
    s.grid.phase_count = 1;
    s.grid.phases[0].energy_reverse = 12.0;
    s.grid.total.energy_reverse = 12.0;
    json j = json::parse(mqtt::encode_meters(s));
    EXPECT_DOUBLE_EQ(j["grid"]["L1"]["energy_reverse"].get<double>(), 12.0);
    EXPECT_DOUBLE_EQ(j["grid"]["energy_reverse"].get<double>(), 12.0);
    EXPECT_FALSE(j["grid"].contains("L2"));
}

model::Device device(std::string serial, bool producing) {
    model::Device d;
    d.serial = std::move(serial);
    d.part_number = "800-00000-r00";
    d.status = {"envoy.global.ok"};
    d.producing = producing;
    d.communicating = true;
    d.provisioned = true;
    d.operating = true;
    d.last_report = 1667471311;
    return d;
}

TEST(MqttEncodeDevices, InvertersBatteriesAndQRelay) {
    model::Devices devices;
    devices.inverters = {device("122000000001", true), device("122000000002", true)};
    devices.inverters[1].status = {"envoy.cond_flags.pcu_ctrl.dc-pwr-low", "envoy.global.ok"};
    model::Device relay = device("122100000001", false);
    relay.relay = "closed";
    relay.reason = "ok";
    devices.relays = {relay};
    devices.others = {device("999", true)};
    std::string text = mqtt::encode_devices(devices);
    EXPECT_EQ(ordered_keys(text, {}), (std::vector<std::string>{"inverters", "batteries", "relais"}));
    json expected = json::parse(R"({
      "inverters": {
        "122000000001": {"status": ["envoy.global.ok"], "producing": true, "communicating": true,
                         "provisioned": true, "operating": true},
        "122000000002": {"status": ["envoy.cond_flags.pcu_ctrl.dc-pwr-low", "envoy.global.ok"], "producing": true,
                         "communicating": true, "provisioned": true, "operating": true}
      },
      "batteries": {},
      "relais": {
        "122100000001": {"status": ["envoy.global.ok"], "producing": false, "communicating": true,
                         "provisioned": true, "operating": true, "relay": "closed", "reason": "ok"}
      }
    })");
    EXPECT_EQ(json::parse(text), expected);
    EXPECT_EQ(ordered_keys(text, {"relais", "122100000001"}),
              (std::vector<std::string>{"status", "producing", "communicating", "provisioned", "operating", "relay",
                                        "reason"}));
}

TEST(MqttEncodeDevices, RelayWithoutStateIsNull) {
    model::Devices devices;
    devices.relays = {device("1", false)};
    json j = json::parse(mqtt::encode_devices(devices));
    EXPECT_TRUE(j["relais"]["1"]["relay"].is_null());
    EXPECT_TRUE(j["relais"]["1"]["reason"].is_null());
    EXPECT_TRUE(j["inverters"].empty());
}

TEST(MqttEncodeInverters, CurrentWattsIsZeroAfter1200Seconds) {
    const std::int64_t now = 1700000000;
    model::InverterReports reports(3);
    reports[0].serial = "fresh";
    reports[0].last_report_date = now - 300;
    reports[0].last_report_watts = 50;
    reports[1].serial = "edge";
    reports[1].last_report_date = now - 1200;
    reports[1].last_report_watts = 60;
    reports[2].serial = "stale";
    reports[2].last_report_date = now - 1201;
    reports[2].last_report_watts = 70;
    std::string text = mqtt::encode_inverters(reports, now);
    json expected = json::parse(R"({
      "fresh": {"lastReportDate": 1699999700, "lastReportWatts": 50, "currentWatts": 50},
      "edge":  {"lastReportDate": 1699998800, "lastReportWatts": 60, "currentWatts": 60},
      "stale": {"lastReportDate": 1699998799, "lastReportWatts": 70, "currentWatts": 0}
    })");
    EXPECT_EQ(json::parse(text), expected);
    EXPECT_NE(text.find("\"lastReportWatts\":50,"), std::string::npos) << text;  // integer, not 50.0
    EXPECT_EQ(ordered_keys(text, {"fresh"}),
              (std::vector<std::string>{"lastReportDate", "lastReportWatts", "currentWatts"}));
}

TEST(MqttEncodeInverters, EmptyIsEmptyObject) { EXPECT_EQ(mqtt::encode_inverters({}, 0), "{}"); }

TEST(MqttEncodeEvents, KeepsTheTenLatestInAscendingIdOrder) {
    model::Events events;
    for (int id = 3024; id >= 3010; --id) {  // newest first, as the gateway sends them
        model::Event e;
        e.id = id;
        e.message = "Power On Reset " + std::to_string(id);
        e.serial = "122000000001";
        e.type = "pcu ";
        e.datetime = "Thu Nov 03, 2022 07:12 AM CET";
        events.push_back(e);
    }
    std::string text = mqtt::encode_events(events);
    std::vector<std::string> expected_ids;
    for (int id = 3015; id <= 3024; ++id) expected_ids.push_back(std::to_string(id));
    EXPECT_EQ(ordered_keys(text, {}), expected_ids);
    json j = json::parse(text);
    EXPECT_EQ(j["3024"], json::parse(R"({"message": "Power On Reset 3024", "serialNumber": "122000000001",
                                         "type": "pcu ", "datetime": "Thu Nov 03, 2022 07:12 AM CET"})"));
    EXPECT_EQ(ordered_keys(text, {"3015"}), (std::vector<std::string>{"message", "serialNumber", "type", "datetime"}));
}

TEST(MqttEncodeEvents, FewerThanTenAreAllKept) {
    model::Events events(2);
    events[0].id = 7;
    events[1].id = 5;
    EXPECT_EQ(ordered_keys(mqtt::encode_events(events), {}), (std::vector<std::string>{"5", "7"}));
    EXPECT_EQ(mqtt::encode_events({}), "{}");
}

}  // namespace
