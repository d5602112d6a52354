// dbus-enphase-envoy: command line, configuration loading and exit codes.
//
// Exit codes (app/ExitCode.hpp): 0 normal end (SIGTERM), --once printed, --capture recorded or
// --check-config found the file usable; 1 runtime failure (no data for --once, the D-Bus connection lost, an unexpected error); 2
// configuration error; 3 the D-Bus name is taken by another process. daemontools restarts the
// daemon after any exit; service/run waits before that when it ended soon after starting.
#include <sys/prctl.h>

#include <csignal>

#include <CLI/CLI.hpp>
#include <filesystem>
#include <iostream>
#include <string>

#include "app/AcceptCertificate.hpp"
#include "app/Capture.hpp"
#include "app/Daemon.hpp"
#include "app/ExitCode.hpp"
#include "app/Once.hpp"
#include "config/Load.hpp"
#include "log/Log.hpp"

namespace {

std::string default_config_path() {
    std::error_code error;
    const std::filesystem::path exe = std::filesystem::read_symlink("/proc/self/exe", error);
    if (error || exe.empty()) return "config.ini";
    return (exe.parent_path() / "config.ini").string();
}

int run(int argc, char** argv) {
    CLI::App cli{"dbus-enphase-envoy: an Enphase Envoy / IQ Gateway as a Victron Venus OS device"};
    std::string config_path = default_config_path();
    bool once = false;
    bool accept_certificate = false;
    bool check_config = false;
    std::string capture_dir;
    std::string service_suffix = "none";
    cli.add_option("-c,--config", config_path, "config.ini to use (default: next to the program)");
    cli.add_option("--service-suffix", service_suffix,
                   "none: the D-Bus names com.victronenergy.pvinverter.enphase_envoy and ...grid.enphase_envoy; "
                   "serial: the same with _<gateway serial> appended (for several gateways on one GX)")
        ->check(CLI::IsMember({"none", "serial"}));
    auto* once_flag = cli.add_flag("--once", once, "collect one snapshot, print it as the meters JSON and exit");
    auto* capture_option = cli.add_option("--capture", capture_dir,
                                          "record the gateway's answers, with serials, tokens and addresses "
                                          "replaced, into this (new or empty) folder for a bug report, and exit")
                               ->excludes(once_flag);
    auto* accept_flag = cli.add_flag("--accept-certificate", accept_certificate,
                                     "trust the TLS key the gateway presents now (after a replaced gateway or a "
                                     "firmware update that renewed its certificate), and exit")
                            ->excludes(once_flag);
    cli.add_flag("--check-config", check_config,
                 "load and validate the config file as at start-up, then exit: 0 when it is usable, 2 with the "
                 "one-line error when not (install.sh runs it)")
        ->excludes(once_flag)
        ->excludes(capture_option)
        ->excludes(accept_flag);
    cli.set_version_flag("-V,--version", std::string("dbus-enphase-envoy ") + EE_VERSION);
    try {
        cli.parse(argc, argv);
    } catch (const CLI::ParseError& error) {
        const int code = cli.exit(error);
        return code == 0 ? app::kExitOk : app::kExitConfig;
    }

    config::Config config;
    std::vector<std::string> warnings;
    try {
        config = config::load(config_path, warnings);
    } catch (const config::ConfigError& error) {
        logging::write(logging::Level::Error, error.what());
        return app::kExitConfig;
    }
    logging::set_level(config.log_level);
    for (const auto& warning : warnings) LOG_WARNING(warning);
    if (check_config) return app::kExitOk;
    LOG_INFO("dbus-enphase-envoy " << EE_VERSION << ": " << config::describe(config));

    if (once) return app::run_once(config, std::cout);
    if (accept_certificate) return app::run_accept_certificate(config);
    if (!capture_dir.empty()) return app::run_capture(config, capture_dir);
    // Under daemontools the run script is our parent: if it is killed (svc -k), stop too
    // instead of running on unsupervised.
    ::prctl(PR_SET_PDEATHSIG, SIGTERM);
    return app::run_daemon(config, service_suffix == "serial" ? app::ServiceSuffix::Serial : app::ServiceSuffix::None);
}

}  // namespace

int main(int argc, char** argv) {
    try {
        return run(argc, argv);
    } catch (const std::exception& error) {
        LOG_ERROR("unexpected error, exiting: " << error.what());
    } catch (...) {
        LOG_ERROR("unexpected error, exiting");
    }
    return app::kExitFailure;
}
