// envoy-sim: the production limit endpoints of the gateway: GET/POST /ivp/ss/dpel (the dynamic
// power export limit of firmware 8, or captures holding ivp_ss_dpel) and GET/PUT
// /ivp/mod/603980032/mode/power (forced off). Writes are answered after --limit-reply-delay-ms,
// refused with 503 under --limit-refuse, and otherwise handed to the LimitModel, which the meter
// model follows; the captured production answers are capped here. Authentication (installer
// only) is SimServer's.
#pragma once

#include "Capture.hpp"
#include "LimitBodies.hpp"
#include "LimitModel.hpp"
#include "MeterModel.hpp"
#include "Options.hpp"

#include <functional>
#include <mutex>
#include <optional>
#include <string>

namespace httplib {
struct Request;
struct Response;
}  // namespace httplib

namespace sim {

inline constexpr const char* kDpelPath = "/ivp/ss/dpel";
inline constexpr const char* kPowerModePath = "/ivp/mod/603980032/mode/power";

// The dynamics of the command line.
LimitDynamics limit_dynamics(const Options& options);
// Whether the gateway has /ivp/ss/dpel: not with --no-dpel; else as the capture recorded it (any
// status but 404), or, when it did not, on firmware 8 or later.
bool has_dpel(const Options& options, const Capture& capture);
// What the gateway limits for these settings: export_limit true is export, false production
// (the other way round with --old-dpel-firmware); enable false is nothing.
LimitTarget dpel_target(const DpelDocument& settings, bool old_firmware);
// The limit the gateway starts with: the capture's ivp_ss_dpel when it has DPEL, else none.
LimitTarget initial_limit(const Options& options, const Capture& capture);

class LimitEndpoints {
public:
    // pause(ms) waits up to ms and returns false when the server is stopping.
    LimitEndpoints(const Options& options, const Capture& capture, LimitModel& limit, MeterModel& model,
                   std::function<bool(long)> pause);

    static bool handles(const std::string& path) { return path == kDpelPath || path == kPowerModePath; }
    // Whether this gateway has the endpoint (it answers 404 to everyone otherwise, before any login).
    bool serves(const std::string& path) const { return path != kDpelPath || dpel_; }
    // Answers a request to an endpoint it serves (authorised by the caller).
    void handle(const httplib::Request& req, httplib::Response& res);

    // /production.json, /api/v1/production or /api/v1/production/inverters as captured, with
    // production capped while a limit is in force; nullopt for any other path.
    std::optional<CapturedResponse> limited_answer(const std::string& path, const std::string& query) const;

private:
    // The cap in force now on an answer reporting natural_w of production; nullopt: none.
    std::optional<double> cap_now(double natural_w) const;
    void write_dpel(const httplib::Request& req, httplib::Response& res);
    void power_mode(const httplib::Request& req, httplib::Response& res);
    // Waits for the reply delay and answers a refusal; false when the write is not to happen.
    bool ready_to_write(httplib::Response& res);
    // The natural production and consumption now, from the model or the captured inverters' figure.
    MeterModel::Natural natural() const;

    const Options& options_;
    const Capture& capture_;
    LimitModel& limit_;
    MeterModel& model_;
    std::function<bool(long)> pause_;
    const bool dpel_;
    std::mutex mutex_;
    DpelDocument stored_;
};

}  // namespace sim
