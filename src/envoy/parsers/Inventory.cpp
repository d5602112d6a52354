// envoy/parsers: device inventory and event log parsing.
#include "envoy/parsers/Inventory.hpp"

#include <string>

#include "envoy/parsers/JsonFields.hpp"
#include "envoy/parsers/ParseError.hpp"

namespace envoy::parse {
namespace {

using detail::Json;

constexpr std::string_view kInventory = "/inventory.json";
constexpr std::string_view kEvents = "/datatab/event_dt.rb";
constexpr std::size_t kEventColumns = 5;

std::vector<model::Device>& group(model::Devices& devices, const std::optional<std::string>& type) {
    if (type == "PCU") return devices.inverters;
    if (type == "ACB" || type == "ENCHARGE") return devices.batteries;
    if (type == "NSRB") return devices.relays;
    return devices.others;
}

model::Device device(const Json& entry) {
    model::Device d;
    auto serial = detail::text(entry, "serial_num");
    if (!serial || serial->empty()) throw ParseError(std::string(kInventory) + ": a device without serial_num");
    d.serial = std::move(*serial);
    d.part_number = detail::text(entry, "part_num").value_or("");
    if (const auto status = entry.find("device_status"); status != entry.end()) {
        if (status->is_array()) {
            for (const Json& item : *status) {
                if (item.is_string()) d.status.push_back(item.get<std::string>());
            }
        } else if (status->is_string()) {
            d.status.push_back(status->get<std::string>());
        }
    }
    d.producing = detail::boolean(entry, "producing").value_or(false);
    d.communicating = detail::boolean(entry, "communicating").value_or(false);
    d.provisioned = detail::boolean(entry, "provisioned").value_or(false);
    d.operating = detail::boolean(entry, "operating").value_or(false);
    d.last_report = detail::integer(entry, "last_rpt_date").value_or(0);
    d.relay = detail::text(entry, "relay");
    d.reason = detail::text(entry, "reason");
    return d;
}

std::string cell_text(const Json& cell) {
    if (cell.is_string()) return cell.get<std::string>();
    if (cell.is_null()) return {};
    return cell.dump();
}

}  // namespace

model::Devices inventory(std::string_view json) {
    const Json doc = detail::load(kInventory, json);
    detail::expect_array(kInventory, doc);
    model::Devices devices;
    for (const Json& entry : doc) {
        detail::expect_object(kInventory, entry, "device group");
        const auto list = entry.find("devices");
        if (list == entry.end() || list->is_null()) continue;
        detail::expect_array(kInventory, *list, "devices");
        auto& target = group(devices, detail::text(entry, "type"));
        for (const Json& item : *list) {
            detail::expect_object(kInventory, item, "device");
            target.push_back(device(item));
        }
    }
    return devices;
}

model::Events events(std::string_view json) {
    const Json doc = detail::load(kEvents, json);
    detail::expect_object(kEvents, doc);
    const auto rows = doc.find("aaData");
    if (rows == doc.end()) throw ParseError(std::string(kEvents) + ": no aaData in the answer");
    detail::expect_array(kEvents, *rows, "aaData");
    model::Events result;
    result.reserve(rows->size());
    for (const Json& row : *rows) {
        if (!row.is_array() || row.size() < kEventColumns) {
            throw ParseError(std::string(kEvents) + ": an aaData row is not [id, message, serial, type, datetime]");
        }
        model::Event e;
        const auto id = detail::floor_int64(detail::number(row[0]));
        if (!id) throw ParseError(std::string(kEvents) + ": an event without a numeric id");
        e.id = *id;
        e.message = cell_text(row[1]);
        e.serial = cell_text(row[2]);
        e.type = cell_text(row[3]);
        e.datetime = cell_text(row[4]);
        result.push_back(std::move(e));
    }
    return result;
}

}  // namespace envoy::parse
