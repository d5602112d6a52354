// envoy/PowerLimiter: probing DPEL, writing limits as LimitPolicy decides, reading them back.
#include "envoy/PowerLimiter.hpp"

#include <cmath>

#include <nlohmann/json.hpp>

#include "envoy/parsers/ParseError.hpp"
#include "envoy/parsers/PowerLimit.hpp"
#include "log/Log.hpp"
#include "util/AtomicFile.hpp"

namespace envoy {

namespace {

constexpr const char* kDpel = "/ivp/ss/dpel";
constexpr double kSameLimitW = 1.0;  // the gateway keeps whole watts

std::optional<double> read_kept_limit(const std::string& path) {
    if (path.empty()) return std::nullopt;
    const auto text = util::read_whole_file(path);
    if (!text) return std::nullopt;
    const auto document = nlohmann::json::parse(*text, nullptr, false);
    if (!document.is_object() || !document.contains("limit_w") || !document["limit_w"].is_number()) return std::nullopt;
    return document["limit_w"].get<double>();
}

}  // namespace

PowerLimiter::PowerLimiter(loop::EventLoop& loop, Client& client, PowerLimiterSettings settings,
                           std::function<void(const PowerLimitStatus&)> on_status)
    : loop_(loop),
      client_(client),
      settings_(std::move(settings)),
      on_status_(std::move(on_status)),
      policy_(settings_.policy),
      wake_timer_(loop),
      verify_timer_(loop) {
    if (const auto kept = read_kept_limit(settings_.state_file)) policy_.adopt(*kept);
}

bool PowerLimiter::installer_access() const {
    const ClientStatus& status = client_.status();
    if (!status.token_access) return true;  // pre-7 firmware: the installer Digest login
    return status.token && status.token->user == model::TokenUser::Installer;
}

void PowerLimiter::start() {
    probed_ = false;
    wake_timer_.cancel();
    verify_timer_.cancel();
    probe();
}

void PowerLimiter::request(double watts) {
    policy_.request(watts, loop::Clock::now());
    evaluate();
}

void PowerLimiter::probe() {
    if (!installer_access()) {
        set_status(model::LimitState::NotSupported, std::nullopt,
                   "limiting needs installer access: an owner token cannot change the gateway's limit");
        return;
    }
    busy_ = true;
    client_.fetch(kDpel, [this](HttpResponse&& response) { on_probe(std::move(response)); });
}

void PowerLimiter::on_probe(HttpResponse&& response) {
    busy_ = false;
    if (response.status == 404) {
        set_status(model::LimitState::NotSupported, std::nullopt,
                   "the gateway has no DPEL endpoint (firmware 8 with a production CT is needed)");
        return;
    }
    if (response.status == 401 || response.status == 403) {
        set_status(model::LimitState::NotSupported, std::nullopt,
                   std::string("the gateway refuses its DPEL setting to this account (") + response.describe() + ")");
        return;
    }
    if (!response.ok()) {
        set_status(model::LimitState::NotSupported, std::nullopt,
                   std::string("the gateway did not answer ") + kDpel + " (" + response.describe() + "); asking again later");
        verify_timer_.start(settings_.recheck_interval, [this] { probe(); });
        return;
    }
    model::DpelSettings dpel;
    try {
        dpel = parse::dpel(response.body);
    } catch (const parse::ParseError& error) {
        set_status(model::LimitState::NotSupported, std::nullopt, error.what());
        return;
    }
    if (dpel.enable && !policy_.written_limit()) {
        set_status(model::LimitState::NotSupported, std::nullopt,
                   "the gateway already holds a DPEL limit of " + std::to_string(std::lround(dpel.limit_w.value_or(0))) +
                       " W that the driver did not set (its installer's): it is left alone");
        return;
    }
    probed_ = true;
    if (dpel.enable) {
        set_status(model::LimitState::Active, dpel.limit_w);
    } else {
        set_status(model::LimitState::Off, std::nullopt);
    }
    evaluate();
}

void PowerLimiter::evaluate() {
    if (!probed_ || busy_) return;
    const auto action = policy_.next(loop::Clock::now());
    if (action.kind == LimitPolicy::Action::Kind::None) {
        schedule();
        return;
    }
    write(action);
}

void PowerLimiter::write(const LimitPolicy::Action& action) {
    model::DpelSettings dpel;
    dpel.enable = action.kind == LimitPolicy::Action::Kind::Limit;
    dpel.export_limit = settings_.export_mode != parse::dpel_export_flag_inverted(client_.status().gateway.firmware);
    dpel.limit_w = dpel.enable ? action.watts : settings_.policy.max_power_w;
    if (settings_.slew_rate_w_per_s > 0) dpel.slew_rate = settings_.slew_rate_w_per_s;
    busy_ = true;
    client_.post_json(kDpel, parse::dpel_request(dpel),
                      [this, action](HttpResponse&& response) { on_written(action, std::move(response)); });
}

void PowerLimiter::on_written(const LimitPolicy::Action& action, HttpResponse&& response) {
    busy_ = false;
    const auto now = loop::Clock::now();
    if (!response.ok()) {
        policy_.failed(now);
        set_status(model::LimitState::Refused, status_.applied_w,
                   std::string("the gateway refused the new limit (") + response.describe() + ")");
        schedule();
        return;
    }
    policy_.written(action, now);
    keep_written();
    set_status(model::LimitState::Applying, status_.applied_w);
    verify_timer_.start(settings_.verify_after, [this] { verify(); });
    schedule();
}

void PowerLimiter::verify() {
    if (busy_) {
        verify_timer_.start(settings_.verify_after, [this] { verify(); });
        return;
    }
    busy_ = true;
    client_.fetch(kDpel, [this](HttpResponse&& response) { on_verify(std::move(response)); });
}

void PowerLimiter::on_verify(HttpResponse&& response) {
    busy_ = false;
    model::DpelSettings dpel;
    bool read = response.ok();
    if (read) {
        try {
            dpel = parse::dpel(response.body);
        } catch (const parse::ParseError&) {
            read = false;
        }
    }
    if (read) {
        const auto expected = policy_.written_limit();
        if (expected && dpel.enable && dpel.limit_w && std::fabs(*dpel.limit_w - *expected) <= kSameLimitW) {
            set_status(model::LimitState::Active, dpel.limit_w);
        } else if (!expected && !dpel.enable) {
            set_status(model::LimitState::Off, std::nullopt);
        } else {
            policy_.forget();
            const std::string reported =
                dpel.enable ? std::to_string(std::lround(dpel.limit_w.value_or(0))) + " W" : std::string("no limit");
            set_status(model::LimitState::Refused, dpel.enable ? dpel.limit_w : std::nullopt,
                       "the gateway reports " + reported + " instead of " +
                           (expected ? std::to_string(std::lround(*expected)) + " W" : std::string("no limit")));
        }
    }
    // While the driver holds a limit it is read back now and then: a gateway that restarted or a
    // limit changed by someone else is noticed.
    if (policy_.written_limit() || !read) verify_timer_.start(settings_.recheck_interval, [this] { verify(); });
    evaluate();
}

void PowerLimiter::schedule() {
    const auto now = loop::Clock::now();
    const auto wake = policy_.wake_at(now);
    if (!wake) {
        wake_timer_.cancel();
        return;
    }
    wake_timer_.start(*wake - now, [this] { evaluate(); });
}

void PowerLimiter::set_status(model::LimitState state, std::optional<double> applied, std::string reason) {
    PowerLimitStatus next{state, applied, std::move(reason)};
    if (next == status_) return;
    const bool reason_changed = next.reason != status_.reason;
    status_ = std::move(next);
    if (reason_changed && !status_.reason.empty()) {
        if (status_.state == model::LimitState::Refused) {
            LOG_WARNING("power limit: " << status_.reason);
        } else {
            LOG_INFO("power limit: " << status_.reason);
        }
    }
    if (on_status_) on_status_(status_);
}

void PowerLimiter::keep_written() {
    if (settings_.state_file.empty()) return;
    const auto limit = policy_.written_limit();
    const nlohmann::json document = {{"limit_w", limit ? nlohmann::json(*limit) : nlohmann::json(nullptr)}};
    if (auto problem = util::write_atomic(settings_.state_file, document.dump() + "\n")) {
        LOG_WARNING("power limit: cannot keep the limit in " << settings_.state_file << ": " << *problem);
    }
}

}  // namespace envoy
