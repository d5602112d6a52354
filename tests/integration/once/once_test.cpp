// Integration: `dbus-enphase-envoy --once` against the simulator serving every capture.
//
// The expected values come straight from the capture files (an oracle independent of the
// daemon's parsers): for metered gateways the enabled meters' channels of
// /ivp/meters/readings summed over /ivp/meters' phaseCount, for the others the inverters'
// wattsNow. The simulator runs with --static so it serves the capture's values unchanged.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "Harness.hpp"

using namespace testsupport;
using nlohmann::json;

namespace {

struct Expected {
    bool metered = false;
    int pv_phases = 0;
    double pv_power = 0;
    std::vector<double> pv_phase_power;
    std::optional<double> pv_energy_forward;
    std::optional<double> grid_power;
    std::optional<double> grid_forward, grid_reverse;
    std::optional<double> consumption_power;
    bool consumption_measured = false;
};

json load(const std::string& capture, const std::string& file) {
    return json::parse(read_file(test_data("envoy/" + capture + "/" + file)));
}

bool exists(const std::string& capture, const std::string& file) {
    return std::filesystem::exists(test_data("envoy/" + capture + "/" + file));
}

double pv_clamped(double watts) { return watts < 5.0 ? 0.0 : watts; }

Expected expected_for(const std::string& capture) {
    Expected expected;
    if (exists(capture, "ivp_meters") && exists(capture, "ivp_meters_readings")) {
        auto meters = load(capture, "ivp_meters");
        auto readings = load(capture, "ivp_meters_readings");
        auto reading_of = [&](std::uint64_t eid) -> const json* {
            for (const auto& reading : readings) {
                if (reading["eid"].get<std::uint64_t>() == eid) return &reading;
            }
            return nullptr;
        };
        double pv_phases_sum = 0;
        for (const auto& meter : meters) {
            if (meter["state"] != "enabled") continue;
            const json* reading = reading_of(meter["eid"].get<std::uint64_t>());
            if (reading == nullptr) continue;
            int phases = meter["phaseCount"].get<int>();
            double sum = 0;
            std::vector<double> per_phase;
            for (int i = 0; i < phases; ++i) {
                double power = (*reading)["channels"][i]["activePower"].get<double>();
                sum += power;
                per_phase.push_back(power);
            }
            std::string type = meter["measurementType"];
            if (type == "production") {
                // Each phase below 5 W is noise (0), then the total of the phases likewise.
                expected.metered = true;
                expected.pv_phases = phases;
                for (double power : per_phase) expected.pv_phase_power.push_back(pv_clamped(power));
                pv_phases_sum = 0;
                for (double power : expected.pv_phase_power) pv_phases_sum += power;
                expected.pv_power = pv_clamped(pv_phases_sum);
                expected.pv_energy_forward = (*reading)["actEnergyDlvd"].get<double>() / 1000.0;
            } else if (type == "net-consumption") {
                expected.grid_power = sum;
                expected.grid_forward = (*reading)["actEnergyDlvd"].get<double>() / 1000.0;
                expected.grid_reverse = (*reading)["actEnergyRcvd"].get<double>() / 1000.0;
            } else if (type == "total-consumption") {
                expected.consumption_power = sum;
                expected.consumption_measured = true;
            }
        }
        if (expected.metered && expected.grid_power && !expected.consumption_power) {
            expected.consumption_power = pv_phases_sum + *expected.grid_power;
        }
    }
    if (!expected.metered) {
        auto production = load(capture, "api_v1_production");
        expected.pv_phases = 1;
        expected.pv_power = pv_clamped(production["wattsNow"].get<double>());
        expected.pv_phase_power = {expected.pv_power};
        expected.pv_energy_forward = production["wattHoursLifetime"].get<double>() / 1000.0;
    }
    return expected;
}

bool token_firmware(const std::string& capture) {
    return read_file(test_data("envoy/" + capture + "/info")).find("<web-tokens>true") != std::string::npos;
}

json run_once(const std::string& capture, const std::string& user) {
    auto sim = start_simulator(capture, {"--static"});
    TempDir dir;
    std::string envoy_extra;
    if (!user.empty()) envoy_extra = "token = " + make_token(capture, user) + "\n";
    auto config = write_config(dir, sim.address(), envoy_extra);
    Process daemon(daemon_command(config, {"--once"}));
    auto code = daemon.wait_exit(60s);
    EXPECT_TRUE(code.has_value()) << "--once did not finish: " << daemon.output();
    EXPECT_EQ(code.value_or(-1), 0) << daemon.output();
    const std::string& output = daemon.output();
    auto start = output.find("{\"pv\"");
    if (start == std::string::npos) {
        ADD_FAILURE() << "no meters JSON in the output: " << output;
        return json::object();
    }
    auto end = output.find('\n', start);
    return json::parse(output.substr(start, end - start));
}

void check(const std::string& capture, const json& out) {
    SCOPED_TRACE(capture + ": " + out.dump());
    Expected expected = expected_for(capture);
    ASSERT_TRUE(out.contains("pv"));
    const json& pv = out["pv"];
    EXPECT_NEAR(pv["power"].get<double>(), expected.pv_power, 0.01);
    for (int phase = 1; phase <= 3; ++phase) {
        std::string key = "L" + std::to_string(phase);
        EXPECT_EQ(pv.contains(key), phase <= expected.pv_phases) << key;
        if (phase <= expected.pv_phases) {
            EXPECT_NEAR(pv[key]["power"].get<double>(), expected.pv_phase_power[phase - 1], 0.01);
        }
    }
    if (expected.metered) {
        ASSERT_TRUE(pv["energy_forward"].is_number());
        EXPECT_NEAR(pv["energy_forward"].get<double>(), *expected.pv_energy_forward, 0.001);
    }
    EXPECT_EQ(out.contains("grid"), expected.grid_power.has_value());
    if (expected.grid_power) {
        EXPECT_NEAR(out["grid"]["power"].get<double>(), *expected.grid_power, 0.01);
        EXPECT_NEAR(out["grid"]["energy_forward"].get<double>(), *expected.grid_forward, 0.001);
        EXPECT_NEAR(out["grid"]["energy_reverse"].get<double>(), *expected.grid_reverse, 0.001);
    }
    EXPECT_EQ(out.contains("consumption"), expected.consumption_power.has_value());
    if (expected.consumption_power) {
        EXPECT_NEAR(out["consumption"]["power"].get<double>(), *expected.consumption_power, expected.consumption_measured ? 0.01 : 0.02);
    }
}

std::vector<std::string> captures() {
    std::vector<std::string> names;
    for (const auto& entry : std::filesystem::directory_iterator(test_data("envoy"))) {
        if (entry.is_directory()) names.push_back(entry.path().filename().string());
    }
    std::sort(names.begin(), names.end());
    return names;
}

class OnceTest : public ::testing::TestWithParam<std::string> {};

TEST_P(OnceTest, PrintsTheCaptureValues) {
    const std::string capture = GetParam();
    if (token_firmware(capture)) {
        for (const std::string user : {"owner", "installer"}) {
            SCOPED_TRACE(user + " token");
            check(capture, run_once(capture, user));
        }
    } else {
        check(capture, run_once(capture, ""));
    }
}

INSTANTIATE_TEST_SUITE_P(EveryCapture, OnceTest, ::testing::ValuesIn(captures()), [](const auto& info) {
    std::string name = info.param;
    for (char& c : name) {
        if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
    }
    return name;
});

TEST(Once, TokenFirmwareWithoutTokenIsAConfigurationError) {
    auto sim = start_simulator("7.6.175_with_cts_3phase", {"--static"});
    TempDir dir;
    auto config = write_config(dir, sim.address());
    Process daemon(daemon_command(config, {"--once"}));
    auto code = daemon.wait_exit(30s);
    ASSERT_TRUE(code.has_value());
    EXPECT_EQ(*code, 2);
    EXPECT_NE(daemon.output().find("needs a token"), std::string::npos) << daemon.output();
}

TEST(Once, UnreachableGatewayFailsWithAClearMessage) {
    TempDir dir;
    // A port nothing listens on: bind-and-close is racy, port 1 on loopback is refused.
    auto config = write_config(dir, "127.0.0.1:1", "request_timeout = 2\n");
    Process daemon(daemon_command(config, {"--once"}));
    auto code = daemon.wait_exit(60s);
    ASSERT_TRUE(code.has_value());
    EXPECT_EQ(*code, 1);
    EXPECT_NE(daemon.output().find("not reachable"), std::string::npos) << daemon.output();
}

}  // namespace
