// busitem/DeviceSettings: a device's VRM instance and its user settings (position, custom name).
//
// On start() it asks com.victronenergy.settings, asynchronously, for
//   /Settings/Devices/<unique id>/ClassAndVrmInstance  (default "<class>:<instance>")
//   /Settings/Devices/<unique id>/Position             (with_position only, 0..2, default configured)
//   /Settings/Devices/<unique id>/CustomName           (default configured)
// with AddSetting on /Settings, then reads back what the service stored (it may have given
// another instance when the default one is taken) and calls `ready`. When the settings service
// is absent (ServiceUnknown / NameHasNoOwner), fails, or does not answer within the deadline,
// it uses the configured instance and keeps position and custom name in a small JSON state
// file instead: {"<unique id>": {"Position": 1, "CustomName": "Roof"}} (written atomically,
// other devices' entries kept). `ready` is always called exactly once, on the loop.
//
// The settings service is followed afterwards: when it appears (it starts after the driver at
// boot) the settings are registered there, with the local values as defaults, and values
// changed locally meanwhile are written to it; when it goes away the values in use are kept and
// changes go to the state file until it is back. Changes made there (the GUI, another client:
// PropertiesChanged of the setting paths) are taken over at once; on_change() tells the device.
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "loop/EventLoop.hpp"
#include "busitem/Bus.hpp"
#include "busitem/Value.hpp"

namespace busitem {

struct DeviceSettingsConfig {
    std::string unique_id;        // the driver's name for the device, e.g. "<driver>_<serial>"
    std::string device_class;     // the Venus class, e.g. "pvinverter" or "grid"
    int default_instance = 0;     // the configured instance
    bool with_position = false;   // also keep /Position (PV inverters)
    int default_position = 0;     // until the user sets one in the GUI (config.ini [PV] position)
    std::string default_custom_name;  // until the user sets one in the GUI
    std::string state_file;       // fallback persistence; "" keeps values in memory only
    std::chrono::milliseconds deadline{2000};
};

class DeviceSettings {
public:
    DeviceSettings(Bus& bus, DeviceSettingsConfig config);
    DeviceSettings(const DeviceSettings&) = delete;
    DeviceSettings& operator=(const DeviceSettings&) = delete;

    // Starts the look-up; `ready` runs once the values are known (or the fallback is in use).
    void start(std::function<void()> ready);
    bool ready() const { return ready_; }
    // True when the values come from com.victronenergy.settings, false in fallback mode.
    bool from_settings_service() const { return service_; }

    int instance() const { return instance_; }
    int position() const { return position_; }
    const std::string& custom_name() const { return custom_name_; }
    const DeviceSettingsConfig& config() const { return config_; }

    // Store a new value (settings service, or the state file in fallback mode).
    void set_position(int position);
    void set_custom_name(const std::string& name);
    // Called on the loop after the instance, position or custom name changed outside the device.
    void on_change(std::function<void()> handler) { on_change_ = std::move(handler); }

private:
    std::string setting_path(const std::string& name) const;
    void add_next(std::size_t index);
    void read_next(std::size_t index);
    bool apply(const std::string& name, const Value& value);
    void watch_service();
    void on_owner_changed(DBusMessage* signal);
    void on_setting_changed(DBusMessage* signal);
    void join();
    void registered();
    void fail(const std::string& why);
    void fall_back();
    void finish();
    void store(const std::string& name, const Value& value);
    void write_state_file();
    void forget_local_values();

    Bus& bus_;
    DeviceSettingsConfig config_;
    std::function<void()> on_ready_;
    std::function<void()> on_change_;
    SignalWatch owner_watch_;
    SignalWatch value_watch_;
    std::string owner_;                   // the settings service's unique name, when known
    std::vector<std::string> pending_;    // names changed locally while the service was away
    bool joining_ = false;                // registering with a service that appeared later
    bool changed_ = false;                // a value read back differs from the one in use
    std::vector<std::string> names_;
    PendingCall call_;
    std::vector<PendingCall> writes_;
    loop::Timer deadline_;
    bool started_ = false;
    bool ready_ = false;
    bool service_ = false;
    int instance_;
    int position_ = 0;
    std::string custom_name_;
};

}  // namespace busitem
