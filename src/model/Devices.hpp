// model: devices from /inventory.json and events from /datatab/event_dt.rb.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace model {

struct Device {
    std::string serial;                     // serial_num
    std::string part_number;                // part_num
    std::vector<std::string> status;        // device_status
    bool producing = false;
    bool communicating = false;
    bool provisioned = false;
    bool operating = false;
    std::int64_t last_report = 0;           // last_rpt_date, epoch seconds (0: unknown)
    std::optional<std::string> relay;       // Q-Relay only: "open" / "closed"
    std::optional<std::string> reason;      // Q-Relay only
    bool operator==(const Device&) const = default;
};

struct Devices {
    std::vector<Device> inverters;          // type PCU
    std::vector<Device> batteries;          // type ACB / ENCHARGE
    std::vector<Device> relays;             // type NSRB
    std::vector<Device> others;             // ESUB and anything else
    bool operator==(const Devices&) const = default;
};

struct Event {
    std::int64_t id = 0;
    std::string message;
    std::string serial;
    std::string type;
    std::string datetime;                   // as the gateway formats it
    bool operator==(const Event&) const = default;
};

using Events = std::vector<Event>;  // newest first, as the gateway sends them

}  // namespace model
