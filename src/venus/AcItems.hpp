// venus/AcItems: the /Ac measurements of an Enphase device and how a model::MeterValues fills
// them: totals (/Ac/Power, /Ac/Energy/Forward, ...), the phases that carry data
// (/Ac/L<n>/Power, ...) and /Ac/NumberOfPhases.
//
// Each measurement (its leaf name, its text and the model field it shows) is written once, in
// one table; a device says which of them it exports in total and per phase. Phase items exist
// only for the meter's phases: when the count drops, the items of the phases that are gone are
// removed (and sent once as invalid by the next flush). Showing a sample only sets handles.
#pragma once

#include <array>
#include <cstddef>

#include "busitem/Item.hpp"
#include "busitem/Service.hpp"
#include "model/Snapshot.hpp"

namespace venus {

// The measurements of an AC meter, as bits of a set.
enum AcMeasurement : unsigned {
    kAcPower = 1u << 0,          // Power, W
    kAcCurrent = 1u << 1,        // Current, A
    kAcVoltage = 1u << 2,        // Voltage, V
    kAcFrequency = 1u << 3,      // Frequency, Hz
    kAcPowerFactor = 1u << 4,    // PowerFactor
    kAcEnergyForward = 1u << 5,  // Energy/Forward, kWh (the counter energy decided)
    kAcEnergyReverse = 1u << 6,  // Energy/Reverse, kWh
};
inline constexpr std::size_t kAcMeasurementCount = 7;

class AcItems {
public:
    // Adds the totals in `totals` and /Ac/NumberOfPhases (all invalid); phases come with show().
    AcItems(busitem::Service& service, unsigned totals, unsigned per_phase);

    // Shows meter's totals and its phases (phase_count of them when present, else none).
    void show(const model::MeterValues& meter);
    // Makes every total and phase measurement invalid (the phases and their count stay).
    void invalidate();

private:
    using Row = std::array<busitem::Item, kAcMeasurementCount>;
    void resize(int count);
    static void show_row(Row& row, const model::PhaseValues& values);
    static void invalidate_row(Row& row);

    busitem::Service& service_;
    unsigned per_phase_;
    Row totals_;
    std::array<Row, model::kMaxPhases> phases_;
    busitem::Item number_of_phases_;
    int phase_count_ = 0;
};

}  // namespace venus
