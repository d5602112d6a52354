// venus/AcItems: the table of AC measurements and the phase items that follow a meter's phases.
#include "venus/AcItems.hpp"

#include <algorithm>
#include <string>

namespace venus {

namespace {

struct Measurement {
    AcMeasurement bit;
    const char* leaf;                        // below /Ac/ or /Ac/L<n>/
    busitem::Formatter (*text)();            // its GetText()
    model::Value model::PhaseValues::*field;  // the model value it shows
};

constexpr Measurement kMeasurements[kAcMeasurementCount] = {
    {kAcPower, "Power", busitem::format::watts, &model::PhaseValues::power},
    {kAcCurrent, "Current", busitem::format::amps, &model::PhaseValues::current},
    {kAcVoltage, "Voltage", busitem::format::volts, &model::PhaseValues::voltage},
    {kAcFrequency, "Frequency", busitem::format::hertz, &model::PhaseValues::frequency},
    {kAcPowerFactor, "PowerFactor", busitem::format::power_factor, &model::PhaseValues::power_factor},
    {kAcEnergyForward, "Energy/Forward", busitem::format::kwh, &model::PhaseValues::energy_forward},
    {kAcEnergyReverse, "Energy/Reverse", busitem::format::kwh, &model::PhaseValues::energy_reverse},
};

// Adds the measurements of `wanted` below prefix ("/Ac/" or "/Ac/L<n>/") into row.
void add_row(busitem::Service& service, const std::string& prefix, unsigned wanted,
             std::array<busitem::Item, kAcMeasurementCount>& row) {
    for (std::size_t i = 0; i < kAcMeasurementCount; ++i) {
        const Measurement& measurement = kMeasurements[i];
        if ((wanted & measurement.bit) != 0) {
            row[i] = service.add(prefix + measurement.leaf, busitem::Value(), measurement.text());
        }
    }
}

}  // namespace

AcItems::AcItems(busitem::Service& service, unsigned totals, unsigned per_phase)
    : service_(service), per_phase_(per_phase) {
    add_row(service_, "/Ac/", totals, totals_);
    number_of_phases_ = service_.add("/Ac/NumberOfPhases", busitem::Value());
}

void AcItems::resize(int count) {
    for (int phase = phase_count_; phase < count; ++phase) {
        add_row(service_, "/Ac/L" + std::to_string(phase + 1) + "/", per_phase_, phases_[static_cast<std::size_t>(phase)]);
    }
    for (int phase = count; phase < phase_count_; ++phase) {
        for (auto& item : phases_[static_cast<std::size_t>(phase)]) service_.remove(item);
    }
    phase_count_ = count;
}

void AcItems::show_row(Row& row, const model::PhaseValues& values) {
    for (std::size_t i = 0; i < kAcMeasurementCount; ++i) {
        if (row[i]) row[i].set(busitem::measurement(values.*kMeasurements[i].field));
    }
}

void AcItems::invalidate_row(Row& row) {
    for (auto& item : row) {
        if (item) item.set(busitem::Value());
    }
}

void AcItems::show(const model::MeterValues& meter) {
    resize(meter.present ? std::clamp(meter.phase_count, 0, model::kMaxPhases) : 0);
    show_row(totals_, meter.total);
    number_of_phases_.set(phase_count_ > 0 ? busitem::Value(std::int32_t{phase_count_}) : busitem::Value());
    for (int phase = 0; phase < phase_count_; ++phase) {
        show_row(phases_[static_cast<std::size_t>(phase)], meter.phases[static_cast<std::size_t>(phase)]);
    }
}

void AcItems::invalidate() {
    invalidate_row(totals_);
    for (int phase = 0; phase < phase_count_; ++phase) invalidate_row(phases_[static_cast<std::size_t>(phase)]);
}

}  // namespace venus
