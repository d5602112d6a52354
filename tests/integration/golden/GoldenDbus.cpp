// tests/integration/golden: reading the Enphase services on the bus and comparing them with golden.json.
#include "GoldenDbus.hpp"

#include <cctype>

namespace golden {
namespace {

Json dbus_value(dbustest::BusClient& client, const std::string& service, const std::string& path) {
    Json value = client.get_value(service, path).value;
    return value.is_array() && value.empty() ? Json() : value;  // invalid: an empty array
}

std::string compare_service(dbustest::BusClient& client, const std::string& service, const Json& expected,
                            bool grid) {
    const std::string name = service + " ";
    for (const char* key : {"power", "current", "voltage"}) {
        if (!expected.contains(key) || (grid && std::string(key) != "power")) continue;  // the grid meter has no total current or voltage
        std::string path = std::string("/Ac/") + static_cast<char>(std::toupper(key[0])) + (key + 1);
        if (auto d = compare_number(name + path, expected[key], dbus_value(client, service, path)); !d.empty()) return d;
    }
    if (expected.contains("energy_forward") && !expected["energy_forward"].is_null()) {
        if (auto d = compare_number(name + "/Ac/Energy/Forward", expected["energy_forward"],
                                    dbus_value(client, service, "/Ac/Energy/Forward"));
            !d.empty()) {
            return d;
        }
    }
    if (grid && expected.contains("energy_reverse") && !expected["energy_reverse"].is_null()) {
        if (auto d = compare_number(name + "/Ac/Energy/Reverse", expected["energy_reverse"],
                                    dbus_value(client, service, "/Ac/Energy/Reverse"));
            !d.empty()) {
            return d;
        }
    }
    const Json& phases = expected["phases"];
    const int count = static_cast<int>(phases.size());
    Json published = dbus_value(client, service, "/Ac/NumberOfPhases");
    if (published != Json(count)) {
        return name + "/Ac/NumberOfPhases: expected " + std::to_string(count) + ", published " + published.dump();
    }
    auto items = client.get_items(service);
    for (int i = 0; i < 3; ++i) {
        std::string prefix = "/Ac/L" + std::to_string(i + 1) + "/";
        if (i >= count) {
            if (items.count(prefix + "Power") != 0) return name + prefix + "Power: not a phase of this meter, but exported";
            continue;
        }
        for (const char* key : {"power", "current", "voltage"}) {
            if (!phases[i].contains(key)) continue;
            std::string path = prefix + static_cast<char>(std::toupper(key[0])) + (key + 1);
            if (auto d = compare_number(name + path, phases[i][key], dbus_value(client, service, path)); !d.empty()) return d;
        }
    }
    return "";
}

}  // namespace

std::string compare_battery_dbus(dbustest::BusClient& client, const Json& expected) {
    const std::string service = "com.victronenergy.battery.enphase_envoy";
    try {
        if (expected.is_null()) {
            if (client.call_error(service, "/Soc", "GetValue").empty()) return service + ": no batteries here, but exported";
            return "";
        }
        if (dbus_value(client, service, "/Connected") != Json(1)) return service + " /Connected: not 1";
        const std::pair<const char*, const char*> paths[] = {
            {"soc", "/Soc"}, {"power", "/Dc/0/Power"}, {"capacity", "/Enphase/Capacity"},
            {"available_energy", "/Enphase/AvailableEnergy"}, {"count", "/System/NrOfBatteries"},
            {"charged", "/History/ChargedEnergy"}, {"discharged", "/History/DischargedEnergy"}};
        for (const auto& [key, path] : paths) {
            if (auto d = compare_number(service + " " + path, expected[key], dbus_value(client, service, path)); !d.empty()) return d;
        }
        return "";
    } catch (const std::exception& error) {
        return std::string("D-Bus: ") + error.what();
    }
}

std::string compare_dbus(dbustest::BusClient& client, const Json& block, bool with_grid) {
    try {
        if (auto d = compare_service(client, "com.victronenergy.pvinverter.enphase_envoy", block["pv"], false); !d.empty()) {
            return d;
        }
        if (!with_grid) return "";
        const std::string grid = "com.victronenergy.grid.enphase_envoy";
        if (block["grid"].is_null()) {
            if (client.call_error(grid, "/Ac/Power", "GetValue").empty()) return grid + ": no grid meter here, but exported";
            return "";
        }
        return compare_service(client, grid, block["grid"], true);
    } catch (const std::exception& error) {
        return std::string("D-Bus: ") + error.what();
    }
}

}  // namespace golden
