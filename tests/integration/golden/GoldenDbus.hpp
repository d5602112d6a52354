// tests/integration/golden: the comparison of the D-Bus services with a capture's golden.json
// (see GoldenFile.hpp).
#pragma once

#include "BusClient.hpp"
#include "GoldenFile.hpp"

namespace golden {

// "" when the PV inverter service (and, with with_grid, the grid meter service) on the bus
// publish the block's figures: /Ac/Power, /Ac/Current, /Ac/Voltage, /Ac/NumberOfPhases,
// /Ac/Lx/{Power,Current,Voltage}, /Ac/Energy/Forward (and the grid's /Ac/Energy/Reverse) where
// the block knows them, and no grid meter where the block has none; else the first difference.
std::string compare_dbus(dbustest::BusClient& client, const Json& block, bool with_grid);

// "" when the battery service on the bus publishes golden.json's battery object (/Soc,
// /Dc/0/Power, /Enphase/Capacity, /Enphase/AvailableEnergy, /System/NrOfBatteries,
// /History/ChargedEnergy, /History/DischargedEnergy) with /Connected 1, or, for a null object,
// when there is no battery service; else the first difference.
std::string compare_battery_dbus(dbustest::BusClient& client, const Json& expected);

}  // namespace golden
