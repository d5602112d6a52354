// venus/DeviceCommon: the management, identity and settings items shared by the device services.
#include "venus/DeviceCommon.hpp"

namespace venus {

namespace {

const char* position_name(int code) {
    switch (code) {
        case 0: return "AC input 1";
        case 1: return "AC output";
        case 2: return "AC input 2";
        default: return nullptr;
    }
}

busitem::Value firmware_value(const std::string& firmware) {
    return firmware.empty() ? busitem::Value() : busitem::Value(firmware);
}

}  // namespace

DeviceItems::DeviceItems(busitem::Service& service, const DeviceIdentity& identity, const std::string& product_name,
                         busitem::DeviceSettings& settings)
    : service_(service), settings_(settings) {
    using busitem::Value;
    service.add("/Mgmt/ProcessName", Value(identity.process_name));
    service.add("/Mgmt/ProcessVersion", Value(identity.process_version));
    connection_ = service.add("/Mgmt/Connection", Value(identity.connection));
    device_instance_ = service.add("/DeviceInstance", Value(std::int32_t{settings.instance()}));
    service.add("/ProductId", Value(kThirdPartyProductId), busitem::format::hex());
    service.add("/ProductName", Value(product_name));
    busitem::ItemOptions custom_name;
    custom_name.writable = true;
    custom_name.type = 's';
    custom_name.validate = [](const Value& value) { return std::get<std::string>(value).size() <= 64; };
    custom_name.on_change = [&settings](const Value& value) { settings.set_custom_name(std::get<std::string>(value)); };
    custom_name_ = service.add("/CustomName", Value(settings.custom_name()), std::move(custom_name));
    if (settings.config().with_position) {
        busitem::ItemOptions position;
        position.text = busitem::format::names(position_name);
        position.writable = true;
        position.type = 'i';
        position.validate = [](const Value& value) {
            auto code = std::get<std::int32_t>(value);
            return code >= 0 && code <= 2;
        };
        position.on_change = [&settings](const Value& value) { settings.set_position(std::get<std::int32_t>(value)); };
        position_ = service.add("/Position", Value(std::int32_t{settings.position()}), std::move(position));
    }
    firmware_ = service.add("/FirmwareVersion", firmware_value(identity.firmware));
    hardware_version_ = service.add("/HardwareVersion", Value(identity.hardware_version));
    service.add("/Serial", Value(identity.serial));
    connected_ = service.add("/Connected", Value(std::int32_t{0}));
    service.add("/ErrorCode", Value(std::int32_t{0}));
    update_index_ = service.add("/UpdateIndex", Value(std::int32_t{0}));
}

void DeviceItems::show_settings() {
    device_instance_.set(busitem::Value(std::int32_t{settings_.instance()}));
    custom_name_.set(busitem::Value(settings_.custom_name()));
    if (position_) position_.set(busitem::Value(std::int32_t{settings_.position()}));
    service_.flush();
}

void DeviceItems::show_connection(std::string connection) {
    connection_.set(busitem::Value(std::move(connection)));
    service_.flush();
}

void DeviceItems::show_identity(const DeviceIdentity& identity) {
    firmware_.set(firmware_value(identity.firmware));
    hardware_version_.set(busitem::Value(identity.hardware_version));
    connection_.set(busitem::Value(identity.connection));
    service_.flush();
}

void DeviceItems::set_connected(bool connected) { connected_.set(busitem::Value(std::int32_t{connected ? 1 : 0})); }

void DeviceItems::bump_update_index() {
    const auto* current = std::get_if<std::int32_t>(&update_index_.value());
    std::int32_t next = current != nullptr ? (*current + 1) % 256 : 0;
    update_index_.set(busitem::Value(next));
}

}  // namespace venus
