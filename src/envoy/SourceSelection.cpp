// envoy: SourceSelection implementation.
#include "envoy/SourceSelection.hpp"

namespace envoy {
namespace {

int rank(model::Source kind) { return static_cast<int>(kind); }

}  // namespace

bool SourceSelection::possible(model::Source kind) const {
    switch (kind) {
        case model::Source::Stream:
        case model::Source::Readings: return offer_.meters_enabled;
        case model::Source::ProductionJson: return offer_.production_json_meters;
        case model::Source::Inverters: return true;
        case model::Source::None: break;
    }
    return false;
}

std::optional<model::Source> SourceSelection::best_available(model::Source from, TimePoint now) const {
    for (int kind = rank(from); kind < kSourceCount; ++kind) {
        auto source = static_cast<model::Source>(kind);
        if (source == model::Source::None) continue;
        if (possible(source) && blocked_until_[kind] <= now) return source;
    }
    return std::nullopt;
}

std::optional<model::Source> SourceSelection::begin(bool prefer_counters, TimePoint now) {
    blocked_until_.fill({});
    candidate_.reset();
    auto best = best_available(prefer_counters ? model::Source::Readings : model::Source::Stream, now);
    if (best) activate(*best);
    return best;
}

void SourceSelection::stop() {
    active_ = model::Source::None;
    candidate_.reset();
}

void SourceSelection::block(model::Source kind, TimePoint now) { blocked_until_[rank(kind)] = now + retry_after_; }

Fallback SourceSelection::fall_back(model::Source failed, bool unreachable, TimePoint now) {
    Fallback fallback;
    if (unreachable) {  // no answer at all: another source of the same gateway will not do better
        stop();
        return fallback;
    }
    if (failed == model::Source::Inverters && inverters_endpoint_ == InvertersEndpoint::ApiV1Production &&
        offer_.inverters_in_production_json) {
        api_v1_unusable_ = true;
        activate(model::Source::Inverters);
        fallback.action = Fallback::Action::InvertersFromProductionJson;
        fallback.next = model::Source::Inverters;
        return fallback;
    }
    auto next = best_available(failed, now);
    if (!next) {
        stop();
        fallback.none_left = true;
        return fallback;
    }
    activate(*next);
    fallback.action = Fallback::Action::SwitchTo;
    fallback.next = *next;
    return fallback;
}

bool SourceSelection::better_possible() const {
    for (int kind = rank(model::Source::Stream); kind < rank(active_); ++kind) {
        if (possible(static_cast<model::Source>(kind))) return true;
    }
    return false;
}

BetterSource SourceSelection::look_for_better(TimePoint now) {
    if (active_ == model::Source::None || candidate_) return BetterSource::NotNow;
    auto better = best_available(model::Source::Stream, now);
    if (!better || rank(*better) >= rank(active_)) return BetterSource::LookLater;
    candidate_ = better;
    return BetterSource::Try;
}

model::Source SourceSelection::promote() {
    const model::Source replaced = active_;
    if (candidate_) activate(*candidate_);
    candidate_.reset();
    return replaced;
}

void SourceSelection::activate(model::Source kind) {
    active_ = kind;
    if (kind != model::Source::Inverters) return;
    // On a metered gateway /api/v1/production follows the (disabled) production CT on some
    // firmware, not the inverters: production.json's inverters entry is their figure there.
    // Elsewhere it is the fallback when /api/v1/production does not answer.
    const bool from_production_json = offer_.inverters_in_production_json && (offer_.metering_board || api_v1_unusable_);
    inverters_endpoint_ = from_production_json ? InvertersEndpoint::ProductionJson : InvertersEndpoint::ApiV1Production;
}

}  // namespace envoy
