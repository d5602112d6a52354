// envoy-sim: synthesises device inventory and an event history in the gateway's formats.
#include "Inventory.hpp"

#include <ctime>
#include <string>
#include <vector>

namespace sim {

namespace {

std::vector<nlohmann::ordered_json> inverter_list(const nlohmann::ordered_json& inverters) {
    std::vector<nlohmann::ordered_json> out;
    if (!inverters.is_array()) return out;
    for (const auto& inv : inverters) {
        if (inv.is_object() && inv.contains("serialNumber") && inv["serialNumber"].is_string()) out.push_back(inv);
    }
    return out;
}

std::string event_date(std::int64_t epoch) {
    std::time_t t = static_cast<std::time_t>(epoch);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[64];
    std::strftime(buf, sizeof buf, "%a %b %d, %Y %I:%M %p UTC", &tm);
    return buf;
}

}  // namespace

nlohmann::ordered_json generate_inventory(const nlohmann::ordered_json& inverters) {
    nlohmann::ordered_json devices = nlohmann::ordered_json::array();
    for (const auto& inv : inverter_list(inverters)) {
        long long last = inv.value("lastReportDate", 0LL);
        bool producing = inv.value("lastReportWatts", 0) > 0;
        devices.push_back({{"part_num", "800-01391-r03"},
                           {"installed", std::to_string(last - 86400LL * 365)},
                           {"serial_num", inv["serialNumber"]},
                           {"device_status", nlohmann::ordered_json::array({"envoy.global.ok"})},
                           {"last_rpt_date", std::to_string(last)},
                           {"admin_state", 1},
                           {"dev_type", inv.value("devType", 1)},
                           {"created_date", std::to_string(last - 86400LL * 365)},
                           {"img_load_date", std::to_string(last - 86400LL * 30)},
                           {"img_pnum_running", "520-00082-r01-v04.30.32"},
                           {"ptpn", "540-00134-r01-v04.30.10"},
                           {"chaneid", 1627390000 + static_cast<long long>(devices.size())},
                           {"device_control", nlohmann::ordered_json::array({{{"gficlearset", false}}})},
                           {"producing", producing},
                           {"communicating", true},
                           {"provisioned", true},
                           {"operating", true}});
    }
    nlohmann::ordered_json out = nlohmann::ordered_json::array();
    out.push_back({{"type", "PCU"}, {"devices", devices}});
    out.push_back({{"type", "ACB"}, {"devices", nlohmann::ordered_json::array()}});
    out.push_back({{"type", "NSRB"}, {"devices", nlohmann::ordered_json::array()}});
    return out;
}

nlohmann::ordered_json generate_events(const nlohmann::ordered_json& inverters, std::int64_t now_epoch,
                                       std::size_t start, std::size_t length) {
    auto invs = inverter_list(inverters);
    struct Template {
        const char* message;
        const char* type;
        bool device;
    };
    static const Template kTemplates[] = {
        {"Microinverter failed to report", "PCU", true},
        {"Microinverter resumed reporting", "PCU", true},
        {"DC Power Too Low", "PCU", true},
        {"DC Power Too Low Cleared", "PCU", true},
        {"Envoy Rebooted", "Envoy", false},
        {"Grid Instability", "PCU", true},
        {"Grid Instability Cleared", "PCU", true},
    };
    constexpr std::size_t kCount = 12;
    std::vector<nlohmann::ordered_json> rows;
    for (std::size_t n = 0; n < kCount; ++n) {
        const Template& t = kTemplates[n % std::size(kTemplates)];
        std::string serial = t.device && !invs.empty() ? invs[n % invs.size()]["serialNumber"].get<std::string>()
                                                       : std::string();
        std::int64_t when = now_epoch - static_cast<std::int64_t>(n) * 3600 * 7 - 60;
        rows.push_back({static_cast<long long>(1000 + kCount - n), t.message, serial, t.type, event_date(when)});
    }
    nlohmann::ordered_json data = nlohmann::ordered_json::array();
    for (std::size_t n = start; n < rows.size() && n - start < length; ++n) data.push_back(rows[n]);
    return {{"aaData", data}, {"iTotalRecords", kCount}, {"iTotalDisplayRecords", kCount}};
}

}  // namespace sim
