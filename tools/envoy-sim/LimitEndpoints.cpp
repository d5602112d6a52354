// envoy-sim: answering the DPEL and forced-off endpoints and applying what they are told.
#include "LimitEndpoints.hpp"

#include "LimitedProduction.hpp"

#include <httplib.h>

namespace sim {

namespace {

void answer_json(httplib::Response& res, int status, const nlohmann::ordered_json& body) {
    res.status = status;
    res.set_content(body.dump(), "application/json");
}

void answer_error(httplib::Response& res, int status, const std::string& message) {
    answer_json(res, status, {{"error", message}});
}

DpelDocument captured_dpel(const Options& options, const Capture& capture) {
    return has_dpel(options, capture) ? dpel_from_capture(capture.json("ivp_ss_dpel")) : DpelDocument{};
}

}  // namespace

LimitDynamics limit_dynamics(const Options& options) { return {options.limit_settle_s, options.limit_slew}; }

bool has_dpel(const Options& options, const Capture& capture) {
    if (options.no_dpel) return false;
    const auto recorded = capture.json("ivp_ss_dpel_log.json");
    if (recorded.is_object() && recorded.contains("code")) return recorded["code"] != 404;
    return capture.major() >= 8 || capture.file("ivp_ss_dpel").has_value();
}

LimitTarget dpel_target(const DpelDocument& settings, bool old_firmware) {
    if (!settings.enable) return {};
    const bool export_mode = settings.export_limit != old_firmware;
    return {export_mode ? LimitTarget::Kind::Export : LimitTarget::Kind::Production, settings.limit_w};
}

LimitTarget initial_limit(const Options& options, const Capture& capture) {
    return dpel_target(captured_dpel(options, capture), options.old_dpel_firmware);
}

LimitEndpoints::LimitEndpoints(const Options& options, const Capture& capture, LimitModel& limit, MeterModel& model,
                               std::function<bool(long)> pause)
    : options_(options),
      capture_(capture),
      limit_(limit),
      model_(model),
      pause_(std::move(pause)),
      dpel_(has_dpel(options, capture)),
      stored_(captured_dpel(options, capture)) {}

void LimitEndpoints::handle(const httplib::Request& req, httplib::Response& res) {
    if (req.path == kPowerModePath) {
        power_mode(req, res);
        return;
    }
    if (req.method == "POST") {
        write_dpel(req, res);
        return;
    }
    std::lock_guard lock(mutex_);
    answer_json(res, 200, dpel_json(stored_));
}

bool LimitEndpoints::ready_to_write(httplib::Response& res) {
    if (options_.limit_reply_delay_ms > 0 && !pause_(options_.limit_reply_delay_ms)) {
        answer_error(res, 503, "shutting down");
        return false;
    }
    if (options_.limit_refuse) {
        answer_error(res, 503, "the gateway refused the setting (--limit-refuse)");
        return false;
    }
    model_.settle_energy();
    return true;
}

void LimitEndpoints::write_dpel(const httplib::Request& req, httplib::Response& res) {
    std::string why;
    const auto settings = parse_dpel_document(req.body, &why);
    if (!settings) {
        answer_error(res, 400, why);
        return;
    }
    if (!ready_to_write(res)) return;
    const MeterModel::Natural now = natural();
    std::lock_guard lock(mutex_);
    limit_.set_target(dpel_target(*settings, options_.old_dpel_firmware), settings->slew_rate,
                      LimitModel::Clock::now(), now.production_w, now.consumption_w);
    stored_ = *settings;
    answer_json(res, 200, dpel_json(stored_));
}

void LimitEndpoints::power_mode(const httplib::Request& req, httplib::Response& res) {
    if (req.method == "PUT") {
        const auto off = parse_forced_off(req.body);
        if (!off) {
            answer_error(res, 400, "expected {\"length\":1,\"arr\":[0 or 1]}");
            return;
        }
        if (!ready_to_write(res)) return;
        limit_.set_forced_off(*off);
    }
    answer_json(res, 200, {{"powerForcedOff", limit_.forced_off()}});
}

std::optional<CapturedResponse> LimitEndpoints::limited_answer(const std::string& path, const std::string& query) const {
    using Reader = double (*)(const nlohmann::ordered_json&);
    using Capper = nlohmann::ordered_json (*)(nlohmann::ordered_json, double);
    Reader watts = nullptr;
    Capper capped = nullptr;
    if (path == "/production.json") {
        watts = production_json_watts;
        capped = capped_production_json;
    } else if (path == "/api/v1/production") {
        watts = v1_production_watts;
        capped = capped_v1_production;
    } else if (path == "/api/v1/production/inverters") {
        watts = inverters_watts;
        capped = capped_inverters;
    } else {
        return std::nullopt;
    }
    std::optional<CapturedResponse> captured = capture_.lookup(path, query);
    if (!captured || captured->status != 200) return captured;
    const auto doc = nlohmann::ordered_json::parse(captured->body, nullptr, false);
    if (doc.is_discarded()) return captured;
    const auto cap = cap_now(watts(doc));
    if (cap && watts(doc) > *cap) captured->body = capped(doc, *cap).dump();
    return captured;
}

std::optional<double> LimitEndpoints::cap_now(double natural_w) const {
    return limit_.cap(LimitModel::Clock::now(), natural_w, natural().consumption_w);
}

MeterModel::Natural LimitEndpoints::natural() const {
    MeterModel::Natural out = model_.natural();
    if (!out.has_production) out.production_w = v1_production_watts(capture_.json("api_v1_production"));
    return out;
}

}  // namespace sim
