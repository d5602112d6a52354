// venus/DeviceCommon: the management and identity paths shared by the device services.
#include "venus/DeviceCommon.hpp"

namespace venus {

void add_device_paths(Service& service, const DeviceIdentity& identity, const std::string& product_name,
                      DeviceSettings& settings) {
    service.add("/Mgmt/ProcessName", Value(identity.process_name));
    service.add("/Mgmt/ProcessVersion", Value(identity.process_version));
    service.add("/Mgmt/Connection", Value(identity.connection));
    service.add("/DeviceInstance", Value(std::int32_t{settings.instance()}));
    service.add("/ProductId", Value(kThirdPartyProductId), format::hex());
    service.add("/ProductName", Value(product_name));
    ItemOptions custom_name;
    custom_name.writable = true;
    custom_name.type = 's';
    custom_name.validate = [](const Value& value) { return std::get<std::string>(value).size() <= 64; };
    custom_name.on_change = [&settings](const Value& value) { settings.set_custom_name(std::get<std::string>(value)); };
    service.add("/CustomName", Value(settings.custom_name()), std::move(custom_name));
    service.add("/FirmwareVersion", Value(identity.firmware));
    service.add("/HardwareVersion", Value(identity.hardware_version));
    service.add("/Serial", Value(identity.serial));
    service.add("/Connected", Value(std::int32_t{0}));
    service.add("/ErrorCode", Value(std::int32_t{0}));
    service.add("/UpdateIndex", Value(std::int32_t{0}));
}

void show_settings(Service& service, const DeviceSettings& settings) {
    service.set("/DeviceInstance", Value(std::int32_t{settings.instance()}));
    service.set("/CustomName", Value(settings.custom_name()));
    if (settings.config().with_position) service.set("/Position", Value(std::int32_t{settings.position()}));
    service.flush();
}

std::string phase_path(int phase_index, const std::string& leaf) {
    return "/Ac/L" + std::to_string(phase_index + 1) + "/" + leaf;
}

void resize_phases(Service& service, int from, int to, const std::vector<PhaseLeaf>& leaves) {
    for (int phase = from; phase < to; ++phase) {
        for (const auto& leaf : leaves) service.add(phase_path(phase, leaf.name), Value(), leaf.text);
    }
    for (int phase = to; phase < from; ++phase) {
        for (const auto& leaf : leaves) service.remove(phase_path(phase, leaf.name));
    }
}

void bump_update_index(Service& service) {
    const auto* current = std::get_if<std::int32_t>(&service.value("/UpdateIndex"));
    std::int32_t next = current != nullptr ? (*current + 1) % 256 : 0;
    service.set("/UpdateIndex", Value(next));
}

}  // namespace venus
