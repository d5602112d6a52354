// envoy: Client implementation (probe, authentication, running the sources SourceSelection picks).
#include "envoy/Client.hpp"

#include <algorithm>
#include <ctime>

#include "envoy/MeterStream.hpp"
#include "envoy/Poller.hpp"
#include "envoy/TokenCheck.hpp"
#include "envoy/TokenRenewal.hpp"
#include "envoy/parsers/Parsers.hpp"
#include "log/Log.hpp"
#include "util/Text.hpp"

namespace envoy {
namespace {

constexpr auto kMaxProbeBackoff = std::chrono::milliseconds(30000);

std::string_view user_name(model::TokenUser user) {
    switch (user) {
        case model::TokenUser::Owner: return "owner";
        case model::TokenUser::Installer: return "installer";
        case model::TokenUser::Unknown: break;
    }
    return "unknown";
}

}  // namespace

Client::Client(loop::EventLoop& loop, Settings settings, ClientCallbacks callbacks)
    : loop_(loop),
      settings_(std::move(settings)),
      callbacks_(std::move(callbacks)),
      http_(loop),
      session_(http_, settings_.request_timeout),
      pins_(settings_.pin_dir),
      tokens_(loop, settings_, [this] { on_new_token(); }),
      selection_(settings_.better_source_retry),
      counters_(settings_.counters_interval * 6),
      counter_refresh_(
          loop, session_, meters_, settings_.counters_interval,
          [this] { return active_ && active_->kind() == model::Source::Stream; },
          [this](const model::Snapshot& readings) { counters_.set_readings(readings, loop::Clock::now()); }),
      watchdog_(loop, [this] { callbacks_.on_lost(); }),
      retry_timer_(loop),
      candidate_timer_(loop),
      production_timer_(loop),
      graveyard_timer_(loop) {
    const std::string authority = util::authority(settings_.host, settings_.port);
    std::vector<std::string> schemes;
    if (settings_.scheme) {
        schemes = {*settings_.scheme};
    } else if (settings_.firmware == FirmwareChoice::Pre7) {
        schemes = {"http"};
    } else if (settings_.firmware == FirmwareChoice::Token) {
        schemes = {"https"};
    } else {
        schemes = {"https", "http"};
    }
    for (const auto& scheme : schemes) candidates_.push_back(scheme + "://" + authority);
}

Client::~Client() {
    stopping_ = true;
    candidate_.reset();
    active_.reset();
}

void Client::start() { probe(); }

void Client::probe() {
    ready_ = false;
    candidate_.reset();
    if (active_) bury(std::move(active_));
    probe_info(0);
}

void Client::probe_info(std::size_t candidate) {
    session_.set_base(candidates_[candidate]);
    session_.set_auth({});
    session_.set_pin("");
    // /info carries no credentials: it is where the gateway's key is learnt before anything is sent.
    session_.get_learning_key("/info", [this, candidate](HttpResponse&& response) { on_info(candidate, std::move(response)); });
}

void Client::on_info(std::size_t candidate, HttpResponse&& response) {
    if (!response.ok()) {
        if (candidate + 1 < candidates_.size()) {
            LOG_DEBUG("probe " << candidates_[candidate] << "/info: " << response.describe());
            probe_info(candidate + 1);
            return;
        }
        retry_later("gateway " + settings_.host + " not reachable: " + candidates_[candidate] + "/info: " + response.describe());
        return;
    }
    try {
        status_.gateway = parse::info(response.body);
    } catch (const parse::ParseError& error) {
        retry_later(error.what());
        return;
    }
    const auto& gateway = status_.gateway;
    status_.token_access = settings_.firmware == FirmwareChoice::Auto ? gateway.token_firmware()
                                                                      : settings_.firmware == FirmwareChoice::Token;
    if (status_.token_access != gateway.token_firmware() && !firmware_mismatch_told_) {
        firmware_mismatch_told_ = true;
        LOG_WARNING("[ENVOY] firmware forces " << (status_.token_access ? "token" : "pre-7") << " access although /info says "
                                               << gateway.firmware << "; using the configured one");
    }
    status_.base_url = candidates_[candidate];
    // Token firmware talks HTTPS; move there unless the user forced a scheme.
    if (status_.token_access && !settings_.scheme && status_.base_url.rfind("http://", 0) == 0) {
        status_.base_url = "https://" + status_.base_url.substr(7);
    }
    const bool moved = status_.base_url != candidates_[candidate];
    session_.set_base(status_.base_url);
    LOG_INFO("gateway " << gateway.serial << " firmware " << gateway.firmware << " ("
                        << (status_.token_access ? "token firmware" : "pre-7 firmware") << "), metering board "
                        << (gateway.metering_board ? (*gateway.metering_board ? "yes" : "no") : "unknown") << ", at "
                        << status_.base_url);
    if (moved && status_.base_url.rfind("https://", 0) == 0) {
        // Moved from http to https: the key is learnt there, still before any credential goes out.
        session_.get_learning_key("/info", [this](HttpResponse&& again) {
            if (!again.ok()) {
                retry_later("gateway " + settings_.host + ": " + status_.base_url + "/info: " + again.describe());
                return;
            }
            if (check_gateway_key(again.peer_key)) after_info();
        });
        return;
    }
    if (check_gateway_key(response.peer_key)) after_info();
}

bool Client::check_gateway_key(const std::string& presented) {
    session_.set_pin("");
    status_.problem.clear();
    if (status_.base_url.rfind("https://", 0) != 0) return true;  // plain HTTP (pre-7 firmware): no key to check
    if (settings_.certificate == CertificatePolicy::Any) {
        if (!any_key_told_) {
            any_key_told_ = true;
            LOG_WARNING("[ENVOY] certificate = any: the gateway's key is not checked, so the token goes to whatever "
                        "answers at " << status_.base_url);
        }
        return true;
    }
    if (presented.empty()) {
        retry_later("cannot read the TLS key of the gateway at " + status_.base_url);
        return false;
    }
    const std::string& serial = status_.gateway.serial;
    std::optional<std::string> pinned =
        settings_.certificate == CertificatePolicy::Fixed ? std::optional(settings_.certificate_pin) : pins_.read(serial);
    if (!pinned) {
        if (auto error = pins_.write(serial, presented); !error.empty()) {
            LOG_WARNING("cannot remember the gateway's key (" << error << "); it is checked for this run only");
        } else {
            LOG_INFO("gateway " << serial << ": its key " << presented << " is remembered in " << pins_.path(serial)
                                << "; the token is only sent to a gateway with this key");
        }
    } else if (*pinned != presented) {
        key_changed(*pinned, presented);
        return false;
    }
    key_change_told_ = false;
    session_.set_pin(presented);
    return true;
}

void Client::key_changed(const std::string& pinned, const std::string& presented) {
    status_.problem = "refused: the gateway's key changed";
    if (!key_change_told_) {
        key_change_told_ = true;
        const bool fixed = settings_.certificate == CertificatePolicy::Fixed;
        LOG_ERROR("the device at " << status_.base_url << " (serial " << status_.gateway.serial << ") presents the key "
                                   << presented << ", not " << pinned << (fixed ? " ([ENVOY] certificate)" : " (its key at first contact)")
                                   << ": no token is sent to it. If the gateway was replaced or a firmware update renewed "
                                      "its key, accept the new one with: dbus-enphase-envoy --config CONFIG "
                                      "--accept-certificate"
                                   << (fixed ? " and set [ENVOY] certificate = " + presented : std::string()));
    }
    stop_data();
    publish_status();
    retry_later("the gateway's key still differs from the accepted one", true);
}

void Client::after_info() {
    if (!configure_auth()) return;
    if (status_.token_access) {
        check_token();
    } else {
        load_meters();
    }
}

bool Client::configure_auth() {
    const auto& gateway = status_.gateway;
    if (!status_.token_access) {
        std::string password = settings_.installer_password;
        if (password.empty()) password = parse::installer_password(gateway.serial);
        session_.set_auth({HttpAuth::Kind::Digest, "installer", password});
        status_.token.reset();
        return true;
    }
    if (!tokens_.select(gateway.serial)) {
        if (tokens_.can_fetch()) {
            waiting_for_token_ = true;  // on_new_token() goes on
            return false;
        }
        if (!tokens_.problem().empty()) {
            callbacks_.on_fatal(std::string("[ENVOY] token: ") + tokens_.problem());
        } else {
            callbacks_.on_fatal("[ENVOY] token firmware " + gateway.firmware +
                                " needs a token: set token, or enlighten_user, enlighten_password and serial");
        }
        return false;
    }
    use_token();
    return true;
}

void Client::use_token() {
    const auto& token = tokens_.info();
    status_.token = token;
    LOG_INFO("token: " << user_name(token.user) << " account, expires "
                       << (token.expires > 0 ? utc_date(token.expires) : std::string("(not stated)")));
    if (token.expires > 0 && token.expires < std::time(nullptr)) LOG_ERROR("the token expired on " << utc_date(token.expires));
    session_.set_auth({HttpAuth::Kind::Bearer, {}, tokens_.token()});
}

void Client::check_token() {
    envoy::check_token(session_, session_.auth().secret, [this](TokenVerdict verdict, const HttpResponse& response) {
        if (verdict == TokenVerdict::Rejected) {
            token_rejected("the gateway rejected the token (" + response.describe() + ")");
            return;
        }
        if (verdict == TokenVerdict::NoVerdict) {
            retry_later("/auth/check_jwt: " + response.describe());
            return;
        }
        tokens_.accepted();
        load_meters();
    });
}

void Client::switch_token() {
    use_token();
    LOG_INFO("now using the new token");
    publish_status();
}

void Client::on_new_token() {
    if (waiting_for_token_) {
        waiting_for_token_ = false;
        switch_token();
        check_token();
        return;
    }
    if (!ready_) {  // a probe is under way: its next requests carry the new token
        switch_token();
        return;
    }
    // Renewed while data flows: the old token stays in use until the gateway accepts the new one.
    envoy::check_token(session_, tokens_.token(), [this](TokenVerdict verdict, const HttpResponse& response) {
        if (verdict == TokenVerdict::Rejected) {
            LOG_ERROR("the gateway rejected the new token (" << response.describe() << ")");
            if (!tokens_.rejected()) token_rejected("no token left that the gateway accepts");
            return;
        }
        if (verdict == TokenVerdict::NoVerdict) {
            LOG_WARNING("/auth/check_jwt for the new token: " << response.describe() << "; using it anyway");
        }
        switch_token();
        tokens_.accepted();
    });
}

void Client::token_rejected(const std::string& why) {
    if (!tokens_.rejected()) {
        retry_later(why + ": it is expired, revoked or for another gateway");
        return;
    }
    LOG_ERROR(why << "; data stops until another token is accepted");
    stop_data();
    waiting_for_token_ = true;
}

void Client::stop_data() {
    ready_ = false;
    retry_timer_.cancel();
    candidate_timer_.cancel();
    if (active_) bury(std::move(active_));
    if (candidate_) bury(std::move(candidate_));
    selection_.stop();
    status_.source = selection_.active();
    watchdog_.stop();
}

void Client::load_meters() {
    session_.get("/ivp/meters", [this](HttpResponse&& response) {
        meters_.clear();
        if (response.ok()) {
            try {
                meters_ = parse::meters(response.body);
            } catch (const parse::ParseError& error) {
                LOG_WARNING(error.what() << "; treating the gateway as having no meters");
            }
        } else if (response.status != 404) {
            LOG_WARNING("/ivp/meters: " << response.describe() << "; treating the gateway as having no meters");
        }
        status_.meters_enabled = 0;
        for (const auto& meter : meters_) {
            if (meter.enabled && meter.type != model::MeasurementType::Other) ++status_.meters_enabled;
        }
        LOG_INFO("meters: " << meters_.size() << " configured, " << status_.meters_enabled << " enabled");
        load_production(true);
    });
}

void Client::load_production(bool then_start_sources) {
    session_.get("/production.json?details=1", [this, then_start_sources](HttpResponse&& response) {
        if (response.ok()) {
            try {
                production_ = parse::production_json(response.body);
                if (production_->total_consumption_is_net && !total_fault_told_) {
                    total_fault_told_ = true;
                    LOG_WARNING("/production.json repeats net-consumption as total-consumption (a known fault of firmware "
                                << status_.gateway.firmware << "); consumption is derived from production and the grid");
                }
            } catch (const parse::ParseError& error) {
                LOG_INFO(error.what() << " (lifetime and daily counters from it are unavailable)");
            }
        } else {
            LOG_INFO("/production.json: " << response.describe() << " (lifetime and daily counters from it are unavailable)");
        }
        offer_sources();
        production_timer_.start(production_refresh(), [this]() { load_production(false); });
        if (then_start_sources) start_sources();
    });
}

bool Client::has_enabled_meter(model::MeasurementType type) const {
    return std::any_of(meters_.begin(), meters_.end(), [type](const auto& m) { return m.enabled && m.type == type; });
}

std::chrono::milliseconds Client::production_refresh() const {
    // A consumption CT without a production CT: PV comes from production.json's inverters
    // entry, which must then be as fresh as the inverters source would keep it.
    if (status_.meters_enabled > 0 && !has_enabled_meter(model::MeasurementType::Production)) {
        return settings_.inverters_interval;
    }
    return settings_.production_interval;
}

void Client::offer_sources() {
    SourceOffer offer;
    offer.meters_enabled = status_.meters_enabled > 0;
    offer.production_json_meters =
        production_ && (production_->production.present || production_->net_consumption.present ||
                        production_->total_consumption.present);
    offer.inverters_in_production_json = production_ && production_->inverters_power;
    offer.metering_board = status_.gateway.metering_board.value_or(false);
    selection_.set_offer(offer);
}

void Client::start_sources() {
    ready_ = true;
    ++connections_;
    probe_backoff_ = std::chrono::milliseconds(2000);
    if (!selection_.begin(settings_.prefer_counters, loop::Clock::now())) {
        retry_later("no data source is available on this gateway");
        return;
    }
    run_active_source();
    publish_status();
}

void Client::retry_later(const std::string& why, bool quiet) {
    EE_LOG(quiet ? logging::Level::Debug : logging::Level::Error, why << "; retrying in " << probe_backoff_.count() / 1000 << " s");
    stop_data();
    retry_timer_.start(probe_backoff_, [this]() { probe(); });
    probe_backoff_ = std::min(probe_backoff_ * 2, kMaxProbeBackoff);
}

std::unique_ptr<Source> Client::make_source(model::Source kind) {
    SourceCallbacks callbacks;
    // The source pointer is filled in after construction; callbacks only run later, on the loop.
    auto holder = std::make_shared<Source*>(nullptr);
    callbacks.on_snapshot = [this, holder](const model::Snapshot& snapshot) { on_source_snapshot(*holder, snapshot); };
    callbacks.on_failure = [this, holder](const SourceFailure& failure) { on_source_failure(*holder, failure); };
    std::unique_ptr<Source> source;
    switch (kind) {
        case model::Source::Stream:
            source = std::make_unique<MeterStream>(loop_, session_, meters_, settings_.stream_timeout, std::move(callbacks));
            break;
        case model::Source::Readings:
            source = std::make_unique<Poller>(
                loop_, session_, kind, "/ivp/meters/readings", settings_.readings_interval, settings_.failures_before_fallback,
                [this](std::string_view body) { return parse::readings(body, meters_); }, std::move(callbacks));
            break;
        case model::Source::ProductionJson:
            source = std::make_unique<Poller>(
                loop_, session_, kind, "/production.json?details=1", settings_.production_json_interval,
                settings_.failures_before_fallback,
                [](std::string_view body) { return parse::from_production(parse::production_json(body)); },
                std::move(callbacks));
            break;
        case model::Source::Inverters:
        case model::Source::None:
            if (selection_.inverters_endpoint() == InvertersEndpoint::ProductionJson) {
                source = std::make_unique<Poller>(
                    loop_, session_, model::Source::Inverters, "/production.json", settings_.inverters_interval,
                    settings_.failures_before_fallback,
                    [](std::string_view body) { return parse::from_inverters(parse::production_json(body)); },
                    std::move(callbacks));
            } else {
                source = std::make_unique<Poller>(
                    loop_, session_, model::Source::Inverters, "/api/v1/production", settings_.inverters_interval,
                    settings_.failures_before_fallback,
                    [](std::string_view body) { return parse::from_inverters(parse::api_v1_production(body)); },
                    std::move(callbacks));
            }
            break;
    }
    *holder = source.get();
    return source;
}

void Client::run_active_source() {
    if (active_) bury(std::move(active_));
    active_ = make_source(selection_.active());
    status_.source = selection_.active();
    active_->start();
    schedule_candidate();
    if (status_.source == model::Source::Stream) counter_refresh_.refresh();
}

void Client::schedule_candidate() {
    // Only when a better source than the active one exists on this gateway at all.
    if (selection_.better_possible()) candidate_timer_.start(settings_.better_source_retry, [this]() { try_candidate(); });
}

void Client::try_candidate() {
    if (!active_ || candidate_) return;
    switch (selection_.look_for_better(loop::Clock::now())) {
        case BetterSource::NotNow: return;
        case BetterSource::LookLater: schedule_candidate(); return;
        case BetterSource::Try: break;
    }
    const model::Source better = *selection_.candidate();
    LOG_INFO("trying the " << model::to_string(better) << " source again in the background");
    candidate_ = make_source(better);
    candidate_->start();
}

void Client::on_source_snapshot(Source* source, const model::Snapshot& snapshot) {
    if (source == candidate_.get()) {
        LOG_WARNING("source: " << model::to_string(selection_.promote()) << " -> " << model::to_string(source->kind())
                               << " (it works again)");
        bury(std::move(active_));
        active_ = std::move(candidate_);
        status_.source = selection_.active();
        publish_status();
        schedule_candidate();
        if (status_.source == model::Source::Stream) counter_refresh_.refresh();
    } else if (source != active_.get()) {
        return;
    }
    if (watchdog_.fed(lost_after(settings_, status_.source))) {
        LOG_INFO("receiving data from the " << model::to_string(source->kind()) << " source");
    }
    const auto now = loop::Clock::now();
    // Readings carry the counters the stream lacks: a later switch to the stream has them.
    if (source->kind() == model::Source::Readings) counters_.set_readings(snapshot, now);
    callbacks_.on_snapshot(counters_.complete(snapshot, source->kind(), production_, now));
}

void Client::on_source_failure(Source* source, const SourceFailure& failure) {
    auto kind = source->kind();
    selection_.block(kind, loop::Clock::now());
    if (source == candidate_.get()) {
        LOG_INFO("the " << model::to_string(kind) << " source is still unavailable: " << failure.reason);
        selection_.drop_candidate();
        bury(std::move(candidate_));
        schedule_candidate();
        return;
    }
    if (source != active_.get()) return;
    if (failure.unauthorized && status_.token_access) {
        // A 401 means either that this source needs more rights than the token has (the stream
        // for an owner) or that the token itself is no longer accepted: the gateway tells which.
        bury(std::move(active_));
        selection_.drop_candidate();
        if (candidate_) bury(std::move(candidate_));
        candidate_timer_.cancel();
        envoy::check_token(session_, session_.auth().secret, [this, kind, failure](TokenVerdict verdict, const HttpResponse&) {
            if (!ready_ || active_) return;  // something else took over meanwhile
            if (verdict == TokenVerdict::Rejected) {
                token_rejected("the gateway no longer accepts the token (" + failure.reason + ")");
                return;
            }
            after_source_failure(kind, failure);
        });
        return;
    }
    after_source_failure(kind, failure);
}

void Client::after_source_failure(model::Source kind, const SourceFailure& failure) {
    const Fallback fallback = selection_.fall_back(kind, failure.unreachable, loop::Clock::now());
    switch (fallback.action) {
        case Fallback::Action::Reprobe:
            if (fallback.none_left) {
                bury(std::move(active_));
                retry_later("the " + std::string(model::to_string(kind)) + " source failed: " + failure.reason +
                            "; no other source left, probing the gateway again");
            } else {
                retry_later("the gateway stopped answering (" + failure.reason + ")");
            }
            return;
        case Fallback::Action::InvertersFromProductionJson:
            LOG_WARNING("source: the inverters' figure now comes from /production.json (" << failure.reason << ")");
            break;
        case Fallback::Action::SwitchTo:
            LOG_WARNING("source: " << model::to_string(kind) << " -> " << model::to_string(fallback.next) << " ("
                                   << failure.reason << ")");
            break;
    }
    run_active_source();
    publish_status();
}

void Client::bury(std::unique_ptr<Source> source) {
    // Sources are destroyed on the next loop turn, never inside their own callbacks.
    if (!source) return;
    graveyard_.push_back(std::move(source));
    if (!graveyard_timer_.pending()) {
        graveyard_timer_.start(std::chrono::milliseconds(0), [this]() { graveyard_.clear(); });
    }
}

void Client::fetch(std::string path, HttpClient::DoneCallback on_done) {
    if (!ready_) {
        auto holder = std::make_shared<HttpClient::DoneCallback>(std::move(on_done));
        loop_.after(std::chrono::milliseconds(0), [holder]() {
            HttpResponse response;
            response.error = "the gateway is not connected yet";
            (*holder)(std::move(response));
        });
        return;
    }
    session_.get(path, std::move(on_done));
}

void Client::publish_status() {
    if (callbacks_.on_status) callbacks_.on_status(status_);
}

}  // namespace envoy
