// envoy-sim: CLI11 definition of the command line and translation of fault flags to directives.
#include "Options.hpp"

#include "Faults.hpp"

#include <CLI/CLI.hpp>

#include <iostream>

namespace sim {

namespace {

constexpr const char* kFooter = R"(
Request mapping: GET /a/b answers the capture file "a_b" (status from "a_b_log.json" "code",
404 when missing); a query string prefers "a_b_<query with = and & as _>" (e.g.
/production.json?details=1 -> production.json_details_1), then "a_b". /info is never
authenticated. /ivp/meters/readings and /stream/meter follow a live model of the capture's
enabled meters; /inventory.json and /datatab/event_dt.rb are generated when not captured.

Authentication: pre7 = plain HTTP, Digest (user installer, realm enphaseenergy.com, password
derived from the serial) on /stream/meter, /installer/* and the limit endpoints. token = HTTPS with an in-memory
self-signed certificate; everything but /info needs "Authorization: Bearer <jwt>" or the
sessionId cookie set by /auth/check_jwt; /stream/meter, /installer/* and the limit endpoints
need an installer token.

Runtime fault control (unauthenticated, plain text body, one directive per line):
  POST /__sim/fault   fail=PATH=CODE | malformed=PATH | delay-ms=PATH=MS |
                      stall-after=N | close-after=N | clear
  hostile modes:      serial=TEXT (\xNN escapes) | html=PATH=N | deep=PATH=N |
                      zero-counters=N | endless-event  (--hostile on the command line)
  e.g. curl -k -d 'fail=/ivp/meters/readings=500' URL/__sim/fault ; 200 "ok" or 400 + reason.
Stall and close counts apply to the events sent on each stream connection; clearing a stall
lets stalled streams resume.

Production limit (installer only: an owner token or no Digest login gets 401):
  GET/POST /ivp/ss/dpel  {"dynamic_pel_settings":{"enable":B,"export_limit":B,"limit_value_W":W,
                         "slew_rate":W_PER_S,"enable_dynamic_limiting":B},"filename":"site_settings",
                         "version":"00.00.01"}; POST stores it (400 for a malformed body) and answers
                         it. Served from firmware 8 on, or as the capture recorded ivp_ss_dpel (a
                         document there is the starting setting); else, and with --no-dpel, 404.
  GET/PUT /ivp/mod/603980032/mode/power  {"powerForcedOff":B}; PUT {"length":1,"arr":[1]} forces
                         production off (to 0 at once), [0] lets it on again.
  enable:true caps production at limit_value_W (export_limit:false) or at consumption +
  limit_value_W, so that export stays at the value (export_limit:true). The applied cap moves
  linearly from the one in force (the production at that moment when there was none) to the new
  one in --limit-settle-s seconds; with --limit-slew it moves at the request's slew_rate (or
  --limit-slew when that is 0) in W per second. enable:false moves it back up to the natural
  production the same way. Stream, meter readings (production CT and net CT, whose energy counters
  follow), /production.json, /api/v1/production and /api/v1/production/inverters report
  min(natural production, cap) and net consumption = consumption - production.

Token: envoy-sim --make-token installer --capture DIR   prints a JWT and exits.

Cloud stand-in: envoy-sim --cloud --ca-out ca.pem [--cloud-user ...] serves over TLS (a
certificate of a fresh test CA, written to --ca-out) POST /login/login.json (form fields
user[email], user[password] -> JSON session_id; 401 + JSON message on a wrong password; no
session_id with --cloud-mfa) and POST /tokens (JSON session_id, serial_num, username -> the
token as plain text, signed with --jwt-key; 403 for a serial not in --cloud-serial). Prints
"envoy-sim cloud: token request N ..." for each token request.
Token revocation on the gateway: POST /__sim/fault with "revoke-seen" makes the gateway
reject every token it has accepted so far (newly issued ones still work).
Ready: prints "envoy-sim listening on http(s)://127.0.0.1:PORT" once accepting connections, and
with --url-file writes that URL to the file (scripts wait for the file instead of parsing the log).
)";

}  // namespace

std::optional<int> parse_options(int argc, char** argv, Options& o) {
    CLI::App app{"envoy-sim: a simulated Enphase Envoy / IQ Gateway serving a capture directory"};
    app.footer(kFooter);
    app.add_option("--capture", o.capture, "Capture directory to serve (a folder of tests/data/envoy/)")
        ->check(CLI::ExistingDirectory);
    app.add_option("--port", o.port, "TCP port on 127.0.0.1 (0 = any free port)")
        ->capture_default_str()->check(CLI::Range(0, 65535));
    app.add_option("--url-file", o.url_file,
                   "Once accepting connections, write the URL (http(s)://127.0.0.1:PORT) to this file, atomically");
    app.add_option("--firmware", o.firmware, "Firmware family: auto (from the capture's /info), pre7 or token")
        ->capture_default_str()->check(CLI::IsMember({"auto", "pre7", "token"}));
    app.add_option("--jwt-key", o.jwt_key, "HMAC key that signs and checks tokens (has a fixed default)");
    app.add_option("--make-token", o.make_token, "Print a token for this role (owner or installer) and exit")
        ->check(CLI::IsMember({"owner", "installer"}));
    app.add_option("--token-exp", o.token_exp, "Expiry (epoch seconds) of --make-token (default: one year ahead)");
    app.add_option("--token-serial", o.token_serial, "Gateway serial of --make-token (default: the capture's)");
    app.add_option("--stream-interval-ms", o.stream_interval_ms, "Milliseconds between /stream/meter events")
        ->capture_default_str()->check(CLI::Range(1, 3600000));
    long stall = -1, close = -1;
    std::vector<std::string> fail, malformed, delay;
    app.add_option("--stall-after", stall, "Streams send N events, then nothing while keeping the connection open")
        ->check(CLI::NonNegativeNumber);
    app.add_option("--close-after", close, "Streams send N events, then close the connection")
        ->check(CLI::NonNegativeNumber);
    app.add_option("--fail", fail, "PATH=CODE: answer HTTP CODE on PATH (repeatable)");
    app.add_option("--malformed", malformed, "PATH: answer truncated/malformed JSON on PATH (repeatable)");
    app.add_option("--delay-ms", delay, "PATH=MS: delay answers on PATH by MS milliseconds (repeatable)");
    std::vector<std::string> hostile;
    app.add_option("--hostile", hostile,
                   "A hostile mode, as a /__sim/fault directive: serial=TEXT, html=PATH=N, deep=PATH=N, "
                   "zero-counters=N or endless-event (repeatable)");
    app.add_flag("--log-samples", o.log_samples,
                 "Print 'sample SEQ t_ns=MONOTONIC_NS p=PRODUCTION_W' for every stream event sent");
    app.add_flag("--static", o.static_values,
                 "Serve the capture's meter values unchanged: readings as captured, stream events equal to them");
    app.add_option("--token-iat", o.token_iat, "Issue time (epoch seconds) of --make-token (default: now)");
    app.add_flag("--cloud", o.cloud, "Serve the Enphase cloud stand-in (login and token service) instead of a gateway");
    app.add_option("--ca-out", o.ca_out, "--cloud: write the test CA certificate (PEM) to this file");
    app.add_option("--cloud-user", o.cloud_user, "--cloud: the account's e-mail")->capture_default_str();
    app.add_option("--cloud-password", o.cloud_password, "--cloud: the account's password")->capture_default_str();
    app.add_option("--cloud-serial", o.cloud_serials, "--cloud: a gateway serial of the account (repeatable; none: any)");
    app.add_flag("--cloud-mfa", o.cloud_mfa, "--cloud: the account uses multi-factor authentication (no session_id)");
    app.add_option("--cloud-role", o.cloud_role, "--cloud: enphaseUser of issued tokens")
        ->capture_default_str()->check(CLI::IsMember({"owner", "installer"}));
    app.add_option("--cloud-token-lifetime", o.cloud_token_lifetime, "--cloud: seconds until issued tokens expire")
        ->capture_default_str()->check(CLI::PositiveNumber);
    app.add_flag("-v,--verbose", o.verbose, "Log one line per request (method, path, status)");
    app.add_option("--tls-key", o.tls_key,
                   "Token firmware: the TLS private key (PEM) to serve with, created when the file does not exist, so a "
                   "restarted simulator presents the same key (default: a new key at every start)");
    app.add_option("--limit-settle-s", o.limit_settle_s,
                   "Seconds a new production limit takes to be applied, moving linearly (0: at once)")
        ->capture_default_str()->check(CLI::Range(0.0, 3600.0));
    app.add_option("--limit-slew", o.limit_slew,
                   "Move the applied limit at this many W per second instead (a request's own slew_rate wins; "
                   "0: linear over --limit-settle-s)")
        ->capture_default_str()->check(CLI::NonNegativeNumber);
    app.add_option("--limit-reply-delay-ms", o.limit_reply_delay_ms,
                   "Milliseconds before a limit write (POST /ivp/ss/dpel, PUT .../mode/power) is answered and applied "
                   "(old firmware took minutes)")
        ->capture_default_str()->check(CLI::Range(0, 3600000));
    app.add_flag("--limit-refuse", o.limit_refuse, "Limit writes answer 503 and change nothing");
    app.add_flag("--no-dpel", o.no_dpel, "/ivp/ss/dpel answers 404, as on firmware 7 and older (their default)");
    app.add_flag("--old-dpel-firmware", o.old_dpel_firmware,
                 "The quirk of firmware before D8.3.5232: export_limit false limits export, true production");
    app.add_option("--log-limit-requests", o.log_limit_requests,
                   "Append one JSON line per request to a limit endpoint (time, method, path, body, status) to FILE");
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return app.exit(e);
    }
    if (stall >= 0) o.faults.push_back("stall-after=" + std::to_string(stall));
    if (close >= 0) o.faults.push_back("close-after=" + std::to_string(close));
    for (const auto& f : fail) o.faults.push_back("fail=" + f);
    for (const auto& m : malformed) o.faults.push_back("malformed=" + m);
    for (const auto& d : delay) o.faults.push_back("delay-ms=" + d);
    for (const auto& h : hostile) o.faults.push_back(h);
    Faults check;
    for (const auto& f : o.faults) {
        if (const auto problem = check.apply(f)) {
            std::cerr << "envoy-sim: bad fault flag: " << *problem << "\n";
            return 2;
        }
    }
    if (o.make_token.empty() && o.capture.empty() && !o.cloud) {
        std::cerr << "envoy-sim: --capture DIR is required (see --help)\n";
        return 2;
    }
    if (o.jwt_key.empty()) {
        std::cerr << "envoy-sim: --jwt-key must not be empty\n";
        return 2;
    }
    return std::nullopt;
}

}  // namespace sim
