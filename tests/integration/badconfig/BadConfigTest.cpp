// Integration: every kind of bad configuration through the real daemon binary. A wrong value
// of each validated key, a missing file, the sample's placeholder address and a missing
// address end the daemon with exit code 2 and exactly one expected error line; token firmware
// without credentials ends it with 2 once the gateway is probed; a D-Bus name already taken
// gives 1; a broker that is down is logged while D-Bus keeps being served. --check-config
// (what install.sh runs) gives the same exit code and line for each bad file, and 0 for a good one.
#include <gtest/gtest.h>

#include <csignal>
#include <regex>

#include "Broker.hpp"
#include "BusClient.hpp"
#include "Harness.hpp"

using namespace testsupport;
using dbustest::BusClient;

namespace {

constexpr const char* k3Phase = "7.6.175_with_cts_3phase";

// The daemon never gets as far as D-Bus with a bad file; should it, it finds no bus here.
const std::map<std::string, std::string> kNoBus = {{"DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/ee-no-bus"}};

struct Result {
    int code;
    std::string output;
};

Result run_daemon(const std::string& config_path, const std::vector<std::string>& extra_args = {}) {
    Process daemon(daemon_command(config_path, extra_args), kNoBus);
    const auto code = daemon.wait_exit(20s);
    if (!code) ADD_FAILURE() << "the daemon did not exit: " << daemon.output();
    return {code.value_or(-1), daemon.output()};
}

// The lines of text that start with prefix.
std::vector<std::string> lines_starting(const std::string& text, const std::string& prefix) {
    std::vector<std::string> found;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);)
        if (line.rfind(prefix, 0) == 0) found.push_back(line);
    return found;
}

struct BadValue {
    std::string section;   // where the line goes
    std::string lines;     // "key = value" (more lines of the same section may precede it)
    std::string expected;  // the error after "ERROR: <config path>: "
};

const std::string kBool = "1 or 0 (also true/false, yes/no, on/off)";
const std::string kTopic = "an MQTT topic without the wildcards + and #";
const std::string kMqttOn = "enabled = 1\nbroker_address = 127.0.0.1\n";

std::vector<BadValue> bad_values() {
    std::vector<BadValue> rows = {
        {"DEFAULT", "logging = VERBOSE", "[DEFAULT] logging = VERBOSE: expected ERROR, WARNING, INFO or DEBUG"},
        {"ENVOY", "address = ftp://192.168.1.50",
         "[ENVOY] address = ftp://192.168.1.50: expected a scheme of http:// or https:// (or none to detect it)"},
        {"ENVOY", "address = 192.168.1.50:99999", "[ENVOY] address = 192.168.1.50:99999: expected a port from 1 to 65535 after ':'"},
        {"ENVOY", "address = 192.168.1.50/home",
         "[ENVOY] address = 192.168.1.50/home: expected no path after the host, only [scheme://]host[:port]"},
        {"ENVOY", "certificate = sha256//tooshort",
         "[ENVOY] certificate = sha256//tooshort: expected auto (the gateway's key at first contact), any (no check: "
         "insecure) or a key pin sha256//<44 base64 characters>"},
        {"ENVOY", "firmware = X7",
         "[ENVOY] firmware = X7: expected auto, D5 (firmware before 7), D7 (firmware 7 and later) or a version such as D7.6.175"},
        {"ENVOY", "serial = 1221-1212", "[ENVOY] serial = 1221-1212: expected the gateway serial number (letters and digits only)"},
        {"ENVOY", "token = not a token", "[ENVOY] token (value not shown): expected a JWT: three base64url parts separated by dots"},
        {"ENVOY", "fetch_production_historic_interval = hourly",
         "[ENVOY] fetch_production_historic_interval = hourly: expected a whole number of seconds up to 604800 (minimum 900)"},
        {"ENVOY", "stream_timeout = 61", "[ENVOY] stream_timeout = 61: expected a whole number of seconds from 2 to 60"},
        {"ENVOY", "request_timeout = 1", "[ENVOY] request_timeout = 1: expected a whole number of seconds from 2 to 120"},
        {"ENVOY", "source_retry_interval = 4",
         "[ENVOY] source_retry_interval = 4: expected a whole number of seconds from 5 to 86400"},
        {"ENVOY", "enlighten_login_url = ftp://x", "[ENVOY] enlighten_login_url = ftp://x: expected an https:// URL (http:// only with cloud_ca_file, for tests)"},
        {"ENVOY", "entrez_token_url = entrez", "[ENVOY] entrez_token_url = entrez: expected an https:// URL (http:// only with cloud_ca_file, for tests)"},
        {"PV", "max = 0", "[PV] max = 0: expected the rated power in watts, from 1 to 1000000"},
        {"PV", "position = 5", "[PV] position = 5: expected 0 (AC input 1), 1 (AC output) or 2 (AC input 2)"},
        {"PV", "inverter_count = ten",
         "[PV] inverter_count = ten: expected the number of microinverters from 0 to 10000 (0 = ask the gateway)"},
        {"PV", "device_instance = 1000", "[PV] device_instance = 1000: expected a device instance from 0 to 999"},
        {"GRID", "enabled = maybe", "[GRID] enabled = maybe: expected " + kBool},
        {"GRID", "device_instance = -1", "[GRID] device_instance = -1: expected a device instance from 0 to 999"},
        {"MQTT", "enabled = 2", "[MQTT] enabled = 2: expected " + kBool},
        {"MQTT", "enabled = 1", "[MQTT] broker_address is missing: expected the IP address or host name of the MQTT broker (MQTT is enabled)"},
        {"MQTT", "enabled = 1\nbroker_address = IP_ADDR_OR_FQDN",
         "[MQTT] broker_address = IP_ADDR_OR_FQDN: expected the IP address or host name of the MQTT broker (MQTT is enabled)"},
        {"MQTT", "enabled = 1\nbroker_address = mqtt://broker",
         "[MQTT] broker_address = mqtt://broker: expected a host name or IP address without scheme or path"},
        {"MQTT", "broker_port = 65536", "[MQTT] broker_port = 65536: expected a port from 1 to 65535"},
        {"MQTT", "publish_interval = often", "[MQTT] publish_interval = often: expected a whole number of seconds up to 3600 (minimum 1)"},
        {"MQTT", "tls_enabled = sometimes", "[MQTT] tls_enabled = sometimes: expected " + kBool},
        {"MQTT", "tls_insecure = 5", "[MQTT] tls_insecure = 5: expected " + kBool},
        {"MQTT", kMqttOn + "tls_enabled = 1\ntls_path_to_ca = /nonexistent/ca.pem",
         "[MQTT] tls_path_to_ca = /nonexistent/ca.pem: expected a readable CA certificate file (No such file or directory)"},
        {"MQTT", "retain = x", "[MQTT] retain = x: expected " + kBool},
        {"ENERGY", "flush_interval = 86401", "[ENERGY] flush_interval = 86401: expected a whole number of seconds up to 86400 (minimum 60)"},
    };
    for (const char* topic : {"topic_meters", "topic_inverters", "topic_devices", "topic_events", "topic_battery",
                             "topic_availability"}) {
        rows.push_back({"MQTT", std::string(topic) + " = enphase/+/x", "[MQTT] " + std::string(topic) + " = enphase/+/x: expected " + kTopic});
    }
    for (const char* name : {"devices", "inverters", "events"}) {
        const std::string key = std::string("fetch_") + name;
        const std::string minimum = std::string(name) == "events" ? "900" : "60";
        rows.push_back({"DATA", key + " = sometimes", "[DATA] " + key + " = sometimes: expected " + kBool});
        rows.push_back({"DATA", key + "_interval = 604801",
                        "[DATA] " + key + "_interval = 604801: expected a whole number of seconds up to 604800 (minimum " +
                            minimum + ")"});
        rows.push_back({"DATA", key + "_publishing_type = 2",
                        "[DATA] " + key + "_publishing_type = 2: expected 0 (publish on change) or 1 (publish on every fetch)"});
    }
    return rows;
}

// A valid file with one bad line added in its section (a key set twice uses the last value).
std::string file_with(const BadValue& bad) {
    std::string text = "[DEFAULT]\nlogging = INFO\n\n[ENVOY]\naddress = 192.0.2.10\n\n";
    text += "[" + bad.section + "]\n" + bad.lines + "\n";
    return text;
}

class BadValueTest : public ::testing::TestWithParam<BadValue> {};

TEST_P(BadValueTest, ExitsWithCode2AndOneLineNamingTheKey) {
    TempDir dir;
    const std::string path = dir.file("config.ini");
    write_file(path, file_with(GetParam()));
    const Result result = run_daemon(path);
    EXPECT_EQ(result.code, 2) << result.output;
    const std::vector<std::string> errors = lines_starting(result.output, "ERROR: ");
    ASSERT_EQ(errors.size(), 1u) << result.output;
    EXPECT_EQ(errors[0], "ERROR: " + path + ": " + GetParam().expected);
}

TEST_P(BadValueTest, CheckConfigGivesTheSameCodeAndLine) {
    TempDir dir;
    const std::string path = dir.file("config.ini");
    write_file(path, file_with(GetParam()));
    const Result result = run_daemon(path, {"--check-config"});
    EXPECT_EQ(result.code, 2) << result.output;
    EXPECT_EQ(lines_starting(result.output, "ERROR: "), std::vector<std::string>{"ERROR: " + path + ": " + GetParam().expected})
        << result.output;
}

std::string case_name(const ::testing::TestParamInfo<BadValue>& info) {
    std::string key = info.param.lines.substr(info.param.lines.rfind('\n') + 1);
    key = key.substr(0, key.find(' '));
    std::string name = info.param.section + "_" + key + "_" + std::to_string(info.index);
    for (char& c : name)
        if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
    return name;
}

INSTANTIATE_TEST_SUITE_P(EveryValidatedKey, BadValueTest, ::testing::ValuesIn(bad_values()), case_name);

// The daemon (with args) on a config.ini of this content, and the file's path.
struct ConfigRun {
    std::string path;
    Result result;
};
ConfigRun run_on(const std::string& content, const std::vector<std::string>& args = {}) {
    TempDir dir;
    ConfigRun run{dir.file("config.ini"), {}};
    write_file(run.path, content);
    run.result = run_daemon(run.path, args);
    return run;
}

TEST(BadConfig, SecretValuesNeverAppearInTheError) {
    const Result result = run_on("[ENVOY]\naddress = 192.0.2.10\ntoken = secret-token-value\n").result;
    EXPECT_EQ(result.code, 2);
    EXPECT_EQ(result.output.find("secret-token-value"), std::string::npos) << result.output;
}

TEST(BadConfig, CheckConfigAcceptsAUsableFileWithoutGatewayOrBus) {
    const Result result = run_on("[ENVOY]\naddress = 192.0.2.10\n\n[PV]\nmaxx = 1\n", {"--check-config"}).result;
    EXPECT_EQ(result.code, 0) << result.output;
    EXPECT_EQ(lines_starting(result.output, "ERROR: "), std::vector<std::string>{}) << result.output;
    EXPECT_EQ(lines_starting(result.output, "WARNING: "),
              std::vector<std::string>{"WARNING: [PV] maxx is not a known key; ignored"})
        << result.output;
}

TEST(BadConfig, MissingFile) {
    TempDir dir;
    const std::string path = dir.file("absent.ini");
    const Result result = run_daemon(path);
    EXPECT_EQ(result.code, 2);
    EXPECT_EQ(lines_starting(result.output, "ERROR: "),
              std::vector<std::string>{"ERROR: cannot read config file " + path + ": No such file or directory"})
        << result.output;
}

// The daemon on a config.ini with this content exits with code 2 and exactly this ERROR line
// (after "ERROR: <path>: ").
void expect_refused(const std::string& content, const std::string& error) {
    const auto [path, result] = run_on(content);
    EXPECT_EQ(result.code, 2);
    EXPECT_EQ(lines_starting(result.output, "ERROR: "), std::vector<std::string>{"ERROR: " + path + ": " + error})
        << result.output;
}

TEST(BadConfig, PlaceholderAddress) {
    expect_refused("[ENVOY]\naddress = IP_ADDR_OR_FQDN\n",
                   "[ENVOY] address = IP_ADDR_OR_FQDN: expected the IP address or host name of the gateway instead of the "
                   "placeholder");
}

TEST(BadConfig, MissingAddress) {
    expect_refused("[ENVOY]\nfirmware = D7\n",
                   "[ENVOY] address is missing: expected the IP address or host name of the gateway");
}

TEST(BadConfig, SyntaxErrorNamesTheLine) {
    const auto [path, result] = run_on("[ENVOY]\naddress = 192.0.2.10\n[PV\nmax = 800\n");
    EXPECT_EQ(result.code, 2);
    const auto errors = lines_starting(result.output, "ERROR: ");
    ASSERT_EQ(errors.size(), 1u) << result.output;
    EXPECT_EQ(errors[0].rfind("ERROR: " + path + ": line 3: ", 0), 0u) << errors[0];
}

// Runtime problems: the configuration loads, the gateway or the bus refuses it.
class RuntimeConfig : public ::testing::Test {
protected:
    PrivateBus bus;
    TempDir dir;
    Simulator sim = start_simulator(k3Phase);

    std::map<std::string, std::string> env() const { return bus.environment(); }

    bool pv_connected(BusClient& client, std::chrono::milliseconds timeout = 30s) {
        return wait_until([&] {
            try {
                return client.get_value(kPv, "/Connected").value == 1;
            } catch (const std::exception&) {
                return false;
            }
        }, timeout);
    }
};

TEST_F(RuntimeConfig, TokenFirmwareWithoutCredentialsExitsWithCode2) {
    const std::string config = write_config(dir, sim.address());
    Process daemon(daemon_command(config), env());
    const auto code = daemon.wait_exit(30s);
    ASSERT_TRUE(code.has_value()) << daemon.output();
    EXPECT_EQ(*code, 2) << daemon.output();
    const auto errors = lines_starting(daemon.output(), "ERROR: ");
    ASSERT_EQ(errors.size(), 1u) << daemon.output();
    // The message names the detected firmware and what to set.
    EXPECT_TRUE(std::regex_match(errors[0], std::regex(R"(ERROR: \[ENVOY\] token:? firmware D7\.6\.175 needs a token: )"
                                                       R"(set token, or enlighten_user, enlighten_password and serial)")))
        << errors[0];
}

TEST_F(RuntimeConfig, TakenDbusNameExitsWithCode3) {
    const std::string config = write_config(dir, sim.address(), "token = " + make_token(k3Phase, "installer") + "\n");
    Process first(daemon_command(config), env());
    BusClient client(bus.address());
    ASSERT_TRUE(pv_connected(client)) << first.output();

    TempDir other_dir;
    const std::string other = write_config(other_dir, sim.address(), "token = " + make_token(k3Phase, "installer") + "\n");
    Process second(daemon_command(other), env());
    const auto code = second.wait_exit(30s);
    ASSERT_TRUE(code.has_value()) << second.output();
    EXPECT_EQ(*code, 3) << second.output();  // its own code: service/run backs off
    EXPECT_EQ(lines_starting(second.output(), "ERROR: "),
              std::vector<std::string>{"ERROR: D-Bus name " + std::string(kPv) + " is already owned by another process"})
        << second.output();
    EXPECT_TRUE(first.running());
    EXPECT_EQ(client.get_value(kPv, "/Connected").value, 1);
}

TEST_F(RuntimeConfig, DownMqttBrokerIsLoggedAndDbusKeepsServing) {
    const int port = mqtttest::free_port();
    const std::string config = write_config(dir, sim.address(), "token = " + make_token(k3Phase, "installer") + "\n",
                                            "[MQTT]\nenabled = 1\nbroker_address = 127.0.0.1\nbroker_port = " +
                                                std::to_string(port) + "\n");
    Process daemon(daemon_command(config), env());
    BusClient client(bus.address());
    ASSERT_TRUE(pv_connected(client)) << daemon.output();
    EXPECT_TRUE(daemon.wait_for_output("WARNING: MQTT: cannot connect to broker 127.0.0.1:" + std::to_string(port), 20s))
        << daemon.output();
    // Values keep flowing: a fresh stream sample changes /UpdateIndex while the broker is down.
    const auto first = client.get_value(kPv, "/UpdateIndex").value;
    EXPECT_TRUE(wait_until([&] { return client.get_value(kPv, "/UpdateIndex").value != first; }, 10s));
    EXPECT_EQ(client.get_value(kPv, "/Ac/Power").type, "d");
    EXPECT_TRUE(daemon.running());
    daemon.signal(SIGTERM);
    const auto code = daemon.wait_exit(10s);
    ASSERT_TRUE(code.has_value()) << daemon.output();
    EXPECT_EQ(*code, 0) << daemon.output();
}

}  // namespace
