// Integration soak: the daemon against the simulator streaming fast while a seeded random mix
// of faults (stalls, closes, 401, 500, malformed JSON, slow answers) and broker restarts is
// injected for EE_SOAK_SECONDS. At the end, with the faults cleared: the daemon is alive,
// publishes values equal to what the simulator streams on D-Bus and the meters topic on MQTT
// again within a deadline, its RSS and descriptor count are flat (first against last third of
// the samples), it stops cleanly and its log holds no crash or sanitizer report.
#include <gtest/gtest.h>

#include <cmath>
#include <csignal>
#include <cstdlib>
#include <iostream>
#include <regex>
#include <sstream>
#include <thread>

#include "Broker.hpp"
#include "BusClient.hpp"
#include "FaultDriver.hpp"
#include "Harness.hpp"
#include "ProcessStats.hpp"
#include "Subscriber.hpp"

using namespace testsupport;
using dbustest::BusClient;

namespace {

constexpr const char* kCapture = "7.6.175_with_cts_3phase";
constexpr unsigned kDefaultSeed = 20240611;
constexpr auto kSampleEvery = 500ms;
constexpr auto kRecoveryDeadline = 60s;

long env_number(const char* name, long fallback) {
    const char* text = std::getenv(name);
    if (!text || !*text) return fallback;
    char* end = nullptr;
    const long value = std::strtol(text, &end, 10);
    if (*end != '\0' || value <= 0) throw std::invalid_argument(std::string(name) + " must be a positive number");
    return value;
}

// The "p=" values of the simulator's latest --log-samples lines (its last 8 KiB of output), in order.
std::vector<double> streamed_powers(const std::string& output) {
    static const std::regex sample(R"(sample \d+ t_ns=\d+ p=(-?[0-9.]+))");
    const std::string tail = output.substr(output.size() > 8192 ? output.size() - 8192 : 0);
    std::vector<double> powers;
    for (auto it = std::sregex_iterator(tail.begin(), tail.end(), sample); it != std::sregex_iterator(); ++it)
        powers.push_back(std::stod((*it)[1]));
    return powers;
}

bool is_connected(BusClient& client, const char* service) {
    try {
        return client.get_value(service, "/Connected").value == 1;
    } catch (const std::exception&) {
        return false;
    }
}

// The PV power on D-Bus equals one of the last powers the simulator streamed.
bool power_matches_stream(BusClient& client, Process& sim, std::string& seen) {
    try {
        const auto power = client.get_value(kPv, "/Ac/Power");
        seen = power.type + " " + power.value.dump();
        if (power.type != "d") return false;
        const std::vector<double> streamed = streamed_powers(sim.output());
        const std::size_t recent = std::min<std::size_t>(streamed.size(), 40);
        for (std::size_t i = streamed.size() - recent; i < streamed.size(); ++i) {
            if (std::abs(streamed[i] - power.value.get<double>()) < 0.01) return true;
        }
    } catch (const std::exception& error) {
        seen = error.what();
    }
    return false;
}

TEST(Soak, SurvivesRandomFaultsAndBrokerRestarts) {
    const auto duration = std::chrono::seconds(env_number("EE_SOAK_SECONDS", EE_SOAK_DEFAULT_SECONDS));
    const auto seed = static_cast<unsigned>(env_number("EE_SOAK_SEED", kDefaultSeed));
    std::cout << "soak: " << duration.count() << " s, seed " << seed << " (repeat with EE_SOAK_SEED=" << seed
              << " EE_SOAK_SECONDS=" << duration.count() << ")" << std::endl;

    PrivateBus bus;
    mqtttest::Broker broker;
    TempDir dir;
    Simulator sim = start_simulator(kCapture, {"--stream-interval-ms", "50", "--log-samples"});
    const std::string token = make_token(kCapture, "installer");
    const std::string config = write_config(
        dir, sim.address(),
        "token = " + token + "\nstream_timeout = 2\nrequest_timeout = 2\nsource_retry_interval = 5\n",
        "[GRID]\nenabled = 1\n\n[DATA]\nfetch_devices = 1\nfetch_devices_interval = 60\nfetch_devices_publishing_type = 1\n"
        "fetch_inverters = 1\nfetch_inverters_interval = 60\nfetch_inverters_publishing_type = 1\n\n"
        "[MQTT]\nenabled = 1\nbroker_address = 127.0.0.1\npublish_interval = 1\nbroker_port = " +
            std::to_string(broker.port()) + "\n");
    // A small ASan quarantine keeps RSS meaningful in the sanitizer build (no effect otherwise).
    std::string asan = std::getenv("ASAN_OPTIONS") ? std::getenv("ASAN_OPTIONS") : "";
    asan += std::string(asan.empty() ? "" : ":") + "quarantine_size_mb=16";
    Process daemon(daemon_command(config), {{"DBUS_SESSION_BUS_ADDRESS", bus.address()}, {"ASAN_OPTIONS", asan}});
    BusClient client(bus.address());
    ASSERT_TRUE(wait_until([&] { return is_connected(client, kPv); }, 30s)) << daemon.output();

    soak::FaultMix mix(seed);
    std::vector<soak::Usage> samples;
    int faults = 0;
    int restarts = 0;
    const auto start = std::chrono::steady_clock::now();
    auto next_action = start;
    auto next_sample = start;
    // Paced loop (not a readiness wait): one usage sample every 500 ms, an action at random gaps.
    while (std::chrono::steady_clock::now() - start < duration) {
        const auto now = std::chrono::steady_clock::now();
        if (now >= next_sample) {
            const auto usage = soak::usage_of(daemon.pid());
            ASSERT_TRUE(usage.has_value()) << "the daemon died\n" << daemon.output();
            samples.push_back(*usage);
            next_sample += kSampleEvery;
        }
        if (now >= next_action) {
            const soak::Action action = mix.next();
            if (action.kind == soak::Action::Kind::BrokerRestart) {
                broker.kill();
                broker.start();
                ++restarts;
            } else {
                ASSERT_NO_THROW(soak::post_fault(sim.url, action.directive)) << action.describe();
                ++faults;
            }
            next_action = std::chrono::steady_clock::now() + std::chrono::milliseconds(mix.pause_ms());
        }
        std::this_thread::sleep_until(std::min(next_sample, next_action));
    }
    const auto logged = [&](const std::string& prefix) {
        std::size_t count = 0;
        for (std::size_t at = daemon.output().find("\n" + prefix); at != std::string::npos;
             at = daemon.output().find("\n" + prefix, at + 1))
            ++count;
        return count;
    };
    const std::size_t warnings = logged("WARNING: ");
    std::cout << "soak: " << faults << " fault directives, " << restarts << " broker restarts; the daemon logged "
              << warnings << " warnings and " << logged("ERROR: ") << " errors" << std::endl;
    EXPECT_GT(warnings, 0u) << "the faults never reached the daemon";
    std::istringstream log(daemon.output());
    for (std::string line; std::getline(log, line);)
        if (line.rfind("ERROR: ", 0) == 0) std::cout << "soak: daemon " << line << std::endl;

    // Faults cleared: values come back on D-Bus and MQTT within the deadline.
    soak::post_fault(sim.url, "clear");
    ASSERT_TRUE(daemon.running()) << daemon.output();
    mqtttest::Subscriber subscriber(broker.port());
    // Back on the best source (the stream) once its retry interval passed, then values equal to the streamed ones.
    std::string connection;
    EXPECT_TRUE(wait_until([&] {
        try {
            connection = client.get_value(kPv, "/Mgmt/Connection").value.get<std::string>();
        } catch (const std::exception& error) {
            connection = error.what();
        }
        return connection.find("(stream)") != std::string::npos;
    }, kRecoveryDeadline))
        << "/Mgmt/Connection: " << connection;
    std::string seen;
    EXPECT_TRUE(wait_until([&] { return is_connected(client, kPv) && power_matches_stream(client, *sim.process, seen); },
                           kRecoveryDeadline))
        << "last /Ac/Power: " << seen << "\n" << daemon.output().substr(daemon.output().size() > 20000 ? daemon.output().size() - 20000 : 0);
    EXPECT_TRUE(wait_until([&] { return is_connected(client, kGrid); }, kRecoveryDeadline));
    EXPECT_TRUE(wait_until([&] { return subscriber.count("enphase/envoy-s/meters") > 0; }, kRecoveryDeadline));
    EXPECT_NE(subscriber.last("enphase/envoy-s/meters").find("\"pv\""), std::string::npos)
        << subscriber.last("enphase/envoy-s/meters");

    const soak::Flatness flatness = soak::compare_thirds(samples, 0.20, 4096, 3);
    std::cout << "soak: " << flatness.report << std::endl;
    EXPECT_TRUE(flatness.flat) << flatness.report;

    daemon.signal(SIGTERM);
    const auto code = daemon.wait_exit(20s);
    ASSERT_TRUE(code.has_value()) << daemon.output();
    EXPECT_EQ(*code, 0);
    for (const char* report : {"AddressSanitizer", "LeakSanitizer", "runtime error:", "terminate called", "Segmentation fault",
                               "Assertion", "ERROR: D-Bus"}) {
        EXPECT_EQ(daemon.output().find(report), std::string::npos) << report << " in the daemon's log";
    }
}

}  // namespace
