// envoy: Client implementation: construction, starting and stopping the data, running the
// sources SourceSelection picks (the probe is in ClientProbe.cpp, tokens in ClientAuth.cpp).
#include "envoy/Client.hpp"

#include <algorithm>

#include "envoy/MeterStream.hpp"
#include "envoy/Poller.hpp"
#include "envoy/TokenCheck.hpp"
#include "envoy/parsers/Parsers.hpp"
#include "log/Log.hpp"
#include "util/Text.hpp"

namespace envoy {
namespace {

constexpr auto kMaxProbeBackoff = std::chrono::milliseconds(30000);

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
        const model::Source replaced = selection_.promote();
        LOG_WARNING("source: " << model::to_string(replaced) << " -> " << model::to_string(source->kind()) << " (it works again)");
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
    if (!ready_) return answer_not_connected(std::move(on_done));
    session_.get(path, std::move(on_done));
}

void Client::post_json(std::string path, std::string body, HttpClient::DoneCallback on_done) {
    if (!ready_) return answer_not_connected(std::move(on_done));
    session_.post_json(path, std::move(body), std::move(on_done));
}

void Client::answer_not_connected(HttpClient::DoneCallback on_done) {
    auto holder = std::make_shared<HttpClient::DoneCallback>(std::move(on_done));
    loop_.after(std::chrono::milliseconds(0), [holder]() {
        HttpResponse response;
        response.error = "the gateway is not connected yet";
        (*holder)(std::move(response));
    });
}

void Client::publish_status() {
    if (callbacks_.on_status) callbacks_.on_status(status_);
}

}  // namespace envoy
