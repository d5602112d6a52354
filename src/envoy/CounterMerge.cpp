// envoy: CounterMerge implementation.
#include "envoy/CounterMerge.hpp"

#include "envoy/parsers/MeterSemantics.hpp"

namespace envoy {

void CounterMerge::set_readings(const model::Snapshot& readings, TimePoint at) {
    readings_ = readings;
    readings_at_ = at;
}

const model::Snapshot& CounterMerge::complete(const model::Snapshot& sample, model::Source kind,
                                                const std::optional<model::ProductionSummary>& production, TimePoint now) {
    const bool with_counters = readings_ && kind == model::Source::Stream && now - readings_at_ < max_age_;
    const bool with_production = production && kind != model::Source::ProductionJson;  // that one is production.json itself
    if (!with_counters && !with_production) return sample;
    completed_ = sample;
    if (with_counters) {
        parse::merge_energy_counters(completed_, *readings_);
        parse::merge_other_meters(completed_, *readings_);
    }
    if (with_production) {
        parse::add_inverters_pv(completed_, *production);
        parse::merge_production_counters(completed_, *production);
    }
    return completed_;
}

}  // namespace envoy
