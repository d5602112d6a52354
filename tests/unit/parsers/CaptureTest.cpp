// tests/unit/parsers: every endpoint file of every real capture folder, parsed and checked
// against values read from the files by hand.
#include <gtest/gtest.h>

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "TestFiles.hpp"
#include "envoy/parsers/Parsers.hpp"

namespace {

using namespace envoy::parse;
using parsers_test::capture;
using parsers_test::has_capture;

constexpr double kTol = 1e-6;

struct Expected {
    std::string folder;
    // /info
    std::string serial;
    std::string firmware;
    int major;
    std::optional<bool> imeter;
    bool web_tokens;
    // /production.json (nullopt inverters_active: the file is not JSON)
    std::optional<int> inverters_active;
    double inverters_power;
    bool eim_production, eim_net, eim_total;
    int eim_production_lines;
    // /api/v1/production
    double watts_now;
    double wh_lifetime;
    // /api/v1/production/inverters
    std::size_t inverter_count;
    std::string first_inverter;
    // /ivp/meters (nullopt: no file)
    std::optional<std::size_t> meter_count;
};

const std::vector<Expected>& table() {
    static const std::vector<Expected> rows = {
        {"3.9.36", "121426016034", "R3.9.36", 3, std::nullopt, false,
         std::nullopt, 0, false, false, false, 0,
         1271, 6012540, 12, "121547058993",
         std::nullopt},
        {"4.10.35", "121938119871", "R4.10.35", 4, true, false,
         19, 246, true, true, true, 0,
         231, 26785314, 19, "122002026181",
         2},
        {"5.0.62", "121621012167", "D5.0.62", 5, false, false,
         40, 7904, false, false, false, 0,
         7907, 133798553, 40, "121547059079",
         0},
        {"7.3.130_no_consumption", "202305058594", "D7.3.130", 7, true, true,
         15, 4085, true, false, false, 0,
         4454, 4545576, 15, "202302073177",
         2},
        {"7.6.114_without_cts", "122309122530", "D7.6.114", 7, false, true,
         13, 586, false, false, false, 0,
         586, 1544282, 13, "482305021663",
         std::nullopt},
        {"7.6.175_with_cts_3phase", "122238082763", "D7.6.175", 7, true, true,
         7, 0, true, true, true, 3,
         689, 3183742, 7, "121823030072",
         2},
        {"7.6.185_with_cts_and_battery_3t", "122238082690", "D7.6.185", 7, true, true,
         5, 0, true, true, true, 0,
         0, 2432969, 5, "482243033113",
         2},
        {"8.2.4264_metered_noct", "envoyserial", "D8.2.4264", 8, true, true,
         38, 5521, false, false, false, 0,
         4, 1583, 2, "121734002573",
         2},
        {"8.2.4345_with_device_data", "122446001637", "D8.2.4345", 8, true, true,
         15, 2594, true, true, true, 0,
         2675, 1243605, 15, "122344043197",
         2},
        {"8.3.1598_collar", "123456789012", "D8.3.1598", 8, true, true,
         17, 0, true, true, true, 2,
         0, 0, 17, "123456789644",
         7},
        {"8.3.5169_ACB_inventory", "122035000000", "D8.3.5169", 8, true, true,
         3, 0, true, true, true, 0,
         -4, 1692970, 5, "122013000000",
         2},
    };
    return rows;
}

TEST(Captures, EveryFolderOfTheTableIsACapture) {
    const auto folders = parsers_test::capture_folders();
    for (const auto& row : table()) {
        EXPECT_TRUE(std::find(folders.begin(), folders.end(), row.folder) != folders.end()) << row.folder;
    }
}

TEST(Captures, Info) {
    for (const auto& e : table()) {
        SCOPED_TRACE(e.folder);
        const auto gw = info(capture(e.folder, "info"));
        EXPECT_EQ(gw.serial, e.serial);
        EXPECT_EQ(gw.firmware, e.firmware);
        EXPECT_EQ(gw.firmware_major, e.major);
        EXPECT_EQ(gw.metering_board, e.imeter);
        EXPECT_EQ(gw.web_tokens, e.web_tokens);
        EXPECT_EQ(gw.token_firmware(), e.major >= 7);
        EXPECT_TRUE(gw.part_number.starts_with("800-")) << gw.part_number;
    }
}

TEST(Captures, ProductionJson) {
    for (const auto& e : table()) {
        SCOPED_TRACE(e.folder);
        const std::string body = capture(e.folder, "production.json");
        if (!e.inverters_active) {
            EXPECT_THROW(production_json(body), ParseError);
            continue;
        }
        const auto p = production_json(body);
        EXPECT_EQ(p.inverters_active, e.inverters_active);
        ASSERT_TRUE(p.inverters_power);
        EXPECT_NEAR(*p.inverters_power, e.inverters_power, kTol);
        EXPECT_TRUE(p.inverters_wh_lifetime);
        EXPECT_EQ(p.production.present, e.eim_production);
        EXPECT_EQ(p.net_consumption.present, e.eim_net);
        EXPECT_EQ(p.total_consumption.present, e.eim_total);
        EXPECT_EQ(p.production.phase_count, e.eim_production_lines);
        if (p.production.present) {
            EXPECT_TRUE(p.production.total.power);
            EXPECT_TRUE(p.production.total.wh_lifetime);
            // With lines the entry's voltage is their sum: the total voltage is left to finish().
            EXPECT_EQ(p.production.total.voltage.has_value(), p.production.phase_count == 0);
        }
    }
}

TEST(Captures, ProductionJsonDetails) {
    int files = 0;
    for (const auto& e : table()) {
        if (!has_capture(e.folder, "production.json_details_1")) continue;
        SCOPED_TRACE(e.folder);
        ++files;
        const auto p = production_json(capture(e.folder, "production.json_details_1"));
        EXPECT_EQ(p.inverters_active, e.inverters_active);
        EXPECT_TRUE(p.production.present);
        EXPECT_EQ(p.production.phase_count, 1);
        EXPECT_EQ(p.net_consumption.phase_count, 1);
        EXPECT_EQ(p.total_consumption.phase_count, 1);
        EXPECT_EQ(p.production.phases[0].power, p.production.total.power);
    }
    EXPECT_EQ(files, 2);
}

TEST(Captures, ApiV1Production) {
    for (const auto& e : table()) {
        SCOPED_TRACE(e.folder);
        const auto p = api_v1_production(capture(e.folder, "api_v1_production"));
        EXPECT_EQ(p.watts_now, e.watts_now);
        EXPECT_EQ(p.wh_lifetime, e.wh_lifetime);
        EXPECT_TRUE(p.wh_today);
        EXPECT_TRUE(p.wh_seven_days);
    }
}

TEST(Captures, Inverters) {
    for (const auto& e : table()) {
        SCOPED_TRACE(e.folder);
        const auto reports = inverters(capture(e.folder, "api_v1_production_inverters"));
        ASSERT_EQ(reports.size(), e.inverter_count);
        EXPECT_EQ(reports.front().serial, e.first_inverter);
        for (const auto& r : reports) {
            EXPECT_FALSE(r.serial.empty());
            EXPECT_GT(r.last_report_date, 1'500'000'000);
            EXPECT_TRUE(r.max_report_watts);
        }
    }
}

TEST(Captures, Meters) {
    for (const auto& e : table()) {
        SCOPED_TRACE(e.folder);
        if (!e.meter_count) {
            EXPECT_FALSE(has_capture(e.folder, "ivp_meters"));
            continue;
        }
        EXPECT_EQ(meters(capture(e.folder, "ivp_meters")).size(), *e.meter_count);
    }
}

// --- focused checks on single captures ---------------------------------------------------------

TEST(Captures, ThreePhaseBoardWithOneWiredPhase) {
    // /ivp/meters says phaseCount 3, but channels 2 and 3 carry a few volts of noise: one phase.
    const std::string folder = "7.6.175_with_cts_3phase";
    const auto config = meters(capture(folder, "ivp_meters"));
    EXPECT_EQ(config[0].phase_count, 3);
    const auto s = readings(capture(folder, "ivp_meters_readings"), config);

    ASSERT_TRUE(s.pv.present);
    EXPECT_EQ(s.pv.phase_count, 1);
    EXPECT_EQ(s.pv.phases[0].power, 488.925);
    EXPECT_EQ(s.pv.phases[0].voltage, 235.236);
    EXPECT_EQ(s.pv.phases[0].current, 2.169);
    EXPECT_EQ(s.pv.phases[0].frequency, 50.0);
    EXPECT_EQ(s.pv.phases[0].power_factor, 0.957);
    EXPECT_EQ(s.pv.phases[0].reactive_power, 114.596);
    EXPECT_EQ(s.pv.phases[0].apparent_power, 510.003);
    EXPECT_NEAR(*s.pv.phases[0].energy_forward, 3183.793885, kTol);
    EXPECT_EQ(s.pv.phases[1], model::PhaseValues{});
    EXPECT_EQ(s.pv.total.power, 488.925);  // the meter's own total
    EXPECT_NEAR(*s.pv.total.energy_forward, 3183.793885, kTol);
    EXPECT_NEAR(*s.pv.total.energy_reverse, 8.851704, kTol);

    ASSERT_TRUE(s.grid.present);
    EXPECT_EQ(s.grid.phase_count, 1);
    EXPECT_EQ(s.grid.total.power, -36.162);
    EXPECT_NEAR(*s.grid.total.energy_forward, 3738.205282, kTol);
    EXPECT_NEAR(*s.grid.total.energy_reverse, 1776.768769, kTol);
    EXPECT_EQ(s.grid.total.voltage, 235.201);  // the phase's, not the reading's top-level figure

    ASSERT_TRUE(s.consumption.present);  // derived: pv + grid
    EXPECT_EQ(s.consumption.phase_count, 1);
    EXPECT_NEAR(*s.consumption.phases[0].power, 488.925 - 36.162, kTol);
    EXPECT_NEAR(*s.consumption.total.power, 488.925 - 36.162, kTol);
    EXPECT_FALSE(s.consumption.total.current);
    EXPECT_FALSE(s.consumption.total.energy_forward);
}

TEST(Captures, SplitPhaseMeterTotalIsTheMetersOwn) {
    // 8.3.5433: the production CT's channels add up to 360.57 W, its own total says 352.751 W.
    const std::string folder = "8.3.5433_tot_is_net_cons";
    const auto s = readings(capture(folder, "ivp_meters_readings"), meters(capture(folder, "ivp_meters")));
    EXPECT_EQ(s.pv.phase_count, 2);
    EXPECT_EQ(s.pv.phases[0].power, 180.664);
    EXPECT_EQ(s.pv.phases[1].power, 179.906);
    EXPECT_EQ(s.pv.total.power, 352.751);
    EXPECT_NEAR(*s.pv.total.voltage, (121.342 + 121.424) / 2, kTol);
    // A total-consumption CT: the grid is derived from the two totals.
    EXPECT_EQ(s.consumption.total.power, 786.513);
    EXPECT_NEAR(*s.grid.total.power, 786.513 - 352.751, kTol);
    EXPECT_NEAR(*s.grid.phases[0].power, 431.202 - 180.664, kTol);
}

TEST(Captures, TotalConsumptionRepeatingNetIsDropped) {
    const auto p = production_json(capture("8.3.5433_tot_is_net_cons", "production.json_details_1"));
    EXPECT_TRUE(p.total_consumption_is_net);
    EXPECT_FALSE(p.total_consumption.present);
    ASSERT_TRUE(p.net_consumption.present);
    EXPECT_EQ(p.net_consumption.total.power, 428.414);
    const auto s = from_production(p);
    EXPECT_NEAR(*s.consumption.total.power, 357.492 + 428.414, kTol);
    // 8.3.1598 reports total = net too, legitimately: its PV produced 0 W and...
    const auto collar = production_json(capture("8.3.1598_collar", "production.json"));
    EXPECT_FALSE(collar.total_consumption_is_net);  // ...its lifetime counters differ
    EXPECT_TRUE(collar.total_consumption.present);
}

TEST(Captures, PhaseCountFollowsMeterConfig) {
    const std::string folder = "8.2.4345_with_device_data";
    const auto config = meters(capture(folder, "ivp_meters"));
    ASSERT_EQ(config.size(), 2u);
    EXPECT_EQ(config[0], (model::MeterConfig{704643328, true, model::MeasurementType::Production, 1}));
    EXPECT_EQ(config[1], (model::MeterConfig{704643584, true, model::MeasurementType::NetConsumption, 1}));
    const auto s = readings(capture(folder, "ivp_meters_readings"), config);
    EXPECT_EQ(s.pv.phase_count, 1);
    EXPECT_EQ(s.grid.phase_count, 1);
    EXPECT_EQ(s.consumption.phase_count, 1);
    EXPECT_EQ(s.pv.phases[1], model::PhaseValues{});
    EXPECT_EQ(s.pv.total.power, 807.326);
    EXPECT_EQ(s.pv.total.voltage, 244.062);
}

TEST(Captures, DisabledConsumptionCtHidesGridAndConsumption) {
    const std::string folder = "7.3.130_no_consumption";
    const auto config = meters(capture(folder, "ivp_meters"));
    ASSERT_EQ(config.size(), 2u);
    EXPECT_FALSE(config[1].enabled);
    EXPECT_EQ(config[1].phase_count, 2);
    const auto s = readings(capture(folder, "ivp_meters_readings"), config);
    EXPECT_TRUE(s.pv.present);
    EXPECT_EQ(s.pv.phase_count, 2);
    EXPECT_FALSE(s.grid.present);
    EXPECT_FALSE(s.consumption.present);
}

TEST(Captures, BothMetersDisabledMeansNoMeterValues) {
    const std::string folder = "8.2.4264_metered_noct";
    const auto config = meters(capture(folder, "ivp_meters"));
    ASSERT_EQ(config.size(), 2u);
    EXPECT_FALSE(config[0].enabled);
    EXPECT_FALSE(config[1].enabled);
    const auto s = readings(capture(folder, "ivp_meters_readings"), config);
    EXPECT_FALSE(s.pv.present);
    EXPECT_FALSE(s.grid.present);
    EXPECT_FALSE(s.consumption.present);
}

TEST(Captures, StorageAndCollarMetersAreKeptApart) {
    const std::string folder = "8.3.1598_collar";
    const auto config = meters(capture(folder, "ivp_meters"));
    ASSERT_EQ(config.size(), 7u);
    EXPECT_EQ(config[2].type, model::MeasurementType::Storage);
    EXPECT_TRUE(config[2].enabled);
    EXPECT_EQ(config[3].type, model::MeasurementType::Backfeed);
    EXPECT_EQ(config[4].type, model::MeasurementType::Load);
    EXPECT_EQ(config[5].type, model::MeasurementType::Evse);
    EXPECT_EQ(config[6].type, model::MeasurementType::Pv3p);
    const auto s = readings(capture(folder, "ivp_meters_readings"), config);
    EXPECT_EQ(s.grid.phases[0].power, 2395.037);
    EXPECT_EQ(s.pv.phases[0].current, 0.0);  // 0 W at night: current clamped too
    // The storage CT (eid 704643840) as the capture has it: the gateway's sign, its own counters.
    ASSERT_TRUE(s.storage.present);
    EXPECT_EQ(s.storage.phase_count, 2);
    EXPECT_EQ(s.storage.total.power, -1297.667);
    EXPECT_DOUBLE_EQ(*s.storage.total.energy_forward, 0.344359);
    EXPECT_DOUBLE_EQ(*s.storage.total.energy_reverse, 8.052959);
    ASSERT_TRUE(s.backfeed.present);
    EXPECT_EQ(s.backfeed.total.power, -686.225);
    // load, evse and pv3p are disabled in /ivp/meters.
    EXPECT_FALSE(s.load.present);
    EXPECT_FALSE(s.evse.present);
    EXPECT_FALSE(s.pv3p.present);
}

TEST(Captures, OldFirmwareProductionJsonIsHtml) {
    try {
        production_json(capture("3.9.36", "production.json"));
        FAIL() << "expected ParseError";
    } catch (const ParseError& e) {
        EXPECT_NE(std::string(e.what()).find("/production.json"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("HTML"), std::string::npos) << e.what();
    }
}

TEST(Captures, ProductionJsonEimValues) {
    const auto p = production_json(capture("7.6.175_with_cts_3phase", "production.json"));
    ASSERT_TRUE(p.production.present);
    EXPECT_EQ(p.production.total.power, -6.481);
    EXPECT_EQ(p.production.total.wh_today, 5113.2);
    EXPECT_EQ(p.production.total.vah_today, 8296.987);
    EXPECT_EQ(p.production.total.wh_lifetime, 4351113.2);
    EXPECT_EQ(p.production.total.vah_lifetime, 5559527.987);
    EXPECT_EQ(p.production.total.current, 0.658);
    EXPECT_FALSE(p.production.total.voltage);  // 712.588 is the sum of the lines: averaged later
    EXPECT_EQ(p.production.total.reactive_power, 84.546);
    EXPECT_EQ(p.production.total.apparent_power, 156.055);
    EXPECT_EQ(p.production.total.power_factor, 0.0);
    EXPECT_EQ(p.production.phase_count, 3);
    EXPECT_EQ(p.production.phases[0].power, -2.864);
    EXPECT_EQ(p.production.phases[2].wh_today, 1458.161);
    EXPECT_EQ(p.total_consumption.total.power, 209.084);
    EXPECT_EQ(p.total_consumption.phases[0].power, 88.573);
    EXPECT_EQ(p.net_consumption.phase_count, 3);
    EXPECT_EQ(p.inverters_wh_lifetime, 4339764.0);
}

TEST(Captures, ProductionJsonLinesWithoutDataAreNotPhases) {
    // 8.3.1598 is split-phase: its third line is all zero.
    const auto p = production_json(capture("8.3.1598_collar", "production.json"));
    EXPECT_EQ(p.production.phase_count, 2);
    EXPECT_EQ(p.net_consumption.phase_count, 2);
    EXPECT_EQ(p.net_consumption.phases[1].power, 1448.282);
    EXPECT_EQ(p.net_consumption.phases[2], model::PhaseValues{});
}

TEST(Captures, InactiveEimEntriesAreNotPresent) {
    const auto p = production_json(capture("8.2.4264_metered_noct", "production.json"));
    EXPECT_FALSE(p.production.present);
    EXPECT_FALSE(p.net_consumption.present);
    EXPECT_FALSE(p.total_consumption.present);
    EXPECT_EQ(p.inverters_power, 5521.0);
}

TEST(Captures, InverterReportFields) {
    const auto reports = inverters(capture("8.2.4345_with_device_data", "api_v1_production_inverters"));
    EXPECT_EQ(reports.front(), (model::InverterReport{"122344043197", 1748576887, 255, 371.0, "1"}));
    const auto old = inverters(capture("3.9.36", "api_v1_production_inverters"));
    EXPECT_EQ(old.front(), (model::InverterReport{"121547058993", 1618083961, 138, 231.0, ""}));
}

TEST(Captures, Inventory) {
    for (const char* file : {"inventory", "inventory.json_deleted_1"}) {
        SCOPED_TRACE(file);
        const auto d = inventory(capture("8.3.5169_ACB_inventory", file));
        ASSERT_EQ(d.inverters.size(), 3u);
        ASSERT_EQ(d.batteries.size(), 2u);
        EXPECT_TRUE(d.relays.empty());
        EXPECT_TRUE(d.others.empty());
        const auto& pcu = d.inverters[0];
        EXPECT_EQ(pcu.serial, "122013000000");
        EXPECT_EQ(pcu.part_number, "800-00630-r02");
        EXPECT_EQ(pcu.status, (std::vector<std::string>{"envoy.cond_flags.pcu_ctrl.dc-pwr-low",
                                                        "envoy.cond_flags.obs_strs.failure"}));
        EXPECT_EQ(pcu.last_report, 1781988156);
        EXPECT_FALSE(pcu.producing);
        EXPECT_FALSE(pcu.relay);
        const auto& acb = d.batteries[1];
        EXPECT_EQ(acb.serial, "122047000000");
        EXPECT_EQ(acb.part_number, "800-00930-r03");
        EXPECT_TRUE(acb.producing);
        EXPECT_TRUE(acb.communicating);
        EXPECT_TRUE(acb.provisioned);
        EXPECT_TRUE(acb.operating);
        EXPECT_EQ(acb.last_report, 1781991429);
        EXPECT_EQ(acb.status, std::vector<std::string>{"envoy.global.ok"});
    }
}

TEST(Captures, ReadingsEnergyCountersOfTheMeter) {
    const std::string folder = "4.10.35";
    const auto s = readings(capture(folder, "ivp_meters_readings"), meters(capture(folder, "ivp_meters")));
    EXPECT_NEAR(*s.pv.total.energy_forward, 26785.327449, kTol);
    EXPECT_NEAR(*s.grid.total.energy_reverse, 17357.690272, kTol);
    EXPECT_NEAR(*s.grid.total.energy_forward, 16908.20878, kTol);
    EXPECT_EQ(s.grid.phases[0].reactive_power, -337.072);
    EXPECT_EQ(s.grid.phases[0].current, 5.208);
    EXPECT_EQ(s.pv.total.current, 3.692);  // the reading's own total
}

}  // namespace
