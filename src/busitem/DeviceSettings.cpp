// busitem/DeviceSettings: VRM instance, position and custom name from com.victronenergy.settings,
// with a local JSON state file as fallback.
#include "busitem/DeviceSettings.hpp"

#include <algorithm>
#include <utility>

#include <nlohmann/json.hpp>

#include "log/Log.hpp"
#include "util/AtomicFile.hpp"
#include "busitem/Message.hpp"

namespace busitem {

namespace {

constexpr const char* kSettingsService = "com.victronenergy.settings";
constexpr const char* kSettingsInterface = "com.victronenergy.Settings";
constexpr int kCallTimeoutMs = 2000;

bool service_absent(const std::string& error) {
    return error == DBUS_ERROR_SERVICE_UNKNOWN || error == DBUS_ERROR_NAME_HAS_NO_OWNER;
}

}  // namespace

DeviceSettings::DeviceSettings(Bus& bus, DeviceSettingsConfig config)
    : bus_(bus), config_(std::move(config)), deadline_(bus.loop()), instance_(config_.default_instance), position_(config_.default_position), custom_name_(config_.default_custom_name) {
    names_.push_back("ClassAndVrmInstance");
    if (config_.with_position) names_.push_back("Position");
    names_.push_back("CustomName");
    if (!config_.state_file.empty()) util::remove_stale_temporaries(config_.state_file);
}

std::string DeviceSettings::setting_path(const std::string& name) const {
    return "/Settings/Devices/" + config_.unique_id + "/" + name;
}

void DeviceSettings::start(std::function<void()> ready) {
    if (started_) return;
    started_ = true;
    on_ready_ = std::move(ready);
    watch_service();
    deadline_.start(config_.deadline, [this] { fail("no answer within the deadline"); });
    add_next(0);
}

void DeviceSettings::watch_service() {
    owner_watch_ = bus_.watch_signals(std::string("type='signal',sender='") + DBUS_SERVICE_DBUS + "',interface='" +
                                          DBUS_INTERFACE_DBUS + "',member='NameOwnerChanged',arg0='" + kSettingsService + "'",
                                      [this](DBusMessage* signal) { on_owner_changed(signal); });
    value_watch_ = bus_.watch_signals(std::string("type='signal',sender='") + kSettingsService + "',interface='" +
                                          kBusItemInterface + "',member='PropertiesChanged',path_namespace='/Settings/Devices/" +
                                          config_.unique_id + "'",
                                      [this](DBusMessage* signal) { on_setting_changed(signal); });
}

void DeviceSettings::on_owner_changed(DBusMessage* signal) {
    if (!dbus_message_is_signal(signal, DBUS_INTERFACE_DBUS, "NameOwnerChanged")) return;
    const char* name = nullptr;
    const char* old_owner = nullptr;
    const char* new_owner = nullptr;
    if (!dbus_message_get_args(signal, nullptr, DBUS_TYPE_STRING, &name, DBUS_TYPE_STRING, &old_owner, DBUS_TYPE_STRING,
                               &new_owner, DBUS_TYPE_INVALID) ||
        std::string(name) != kSettingsService) {
        return;
    }
    owner_ = new_owner;
    if (owner_.empty()) {
        if (service_) {
            service_ = false;
            LOG_WARNING("settings: " << kSettingsService << " left the bus; keeping device instance " << instance_
                                     << ", changes are kept locally until it is back");
        }
        return;
    }
    if (ready_ && !service_ && !joining_) join();
}

void DeviceSettings::join() {
    LOG_INFO("settings: " << kSettingsService << " is on the bus now; registering " << config_.unique_id << " there");
    joining_ = true;
    changed_ = false;
    deadline_.start(config_.deadline, [this] { fail("no answer within the deadline"); });
    add_next(0);
}

void DeviceSettings::on_setting_changed(DBusMessage* signal) {
    if (!service_ || !dbus_message_is_signal(signal, kBusItemInterface, "PropertiesChanged")) return;
    const char* sender = dbus_message_get_sender(signal);
    if (!owner_.empty() && (sender == nullptr || owner_ != sender)) return;
    const char* raw_path = dbus_message_get_path(signal);
    const std::string prefix = "/Settings/Devices/" + config_.unique_id + "/";
    if (raw_path == nullptr || std::string_view(raw_path).substr(0, prefix.size()) != prefix) return;
    const std::string name = std::string(raw_path).substr(prefix.size());
    if (std::find(names_.begin(), names_.end(), name) == names_.end()) return;
    // a{sv}: the "Value" entry.
    DBusMessageIter args, dict;
    if (!dbus_message_iter_init(signal, &args) || dbus_message_iter_get_arg_type(&args) != DBUS_TYPE_ARRAY) return;
    for (dbus_message_iter_recurse(&args, &dict); dbus_message_iter_get_arg_type(&dict) == DBUS_TYPE_DICT_ENTRY;
         dbus_message_iter_next(&dict)) {
        DBusMessageIter entry;
        dbus_message_iter_recurse(&dict, &entry);
        const char* key = nullptr;
        if (dbus_message_iter_get_arg_type(&entry) != DBUS_TYPE_STRING) continue;
        dbus_message_iter_get_basic(&entry, &key);
        if (std::string(key) != "Value" || !dbus_message_iter_next(&entry)) continue;
        if (auto value = read_variant(&entry); value && apply(name, *value)) {
            LOG_INFO("settings: " << setting_path(name) << " changed in " << kSettingsService);
            if (on_change_) on_change_();
        }
    }
}

// AddSetting(group, name, default, type, min, max) for each setting, one after the other.
void DeviceSettings::add_next(std::size_t index) {
    if (index == names_.size()) {
        read_next(0);
        return;
    }
    const std::string& name = names_[index];
    MessagePtr message(dbus_message_new_method_call(kSettingsService, "/Settings", kSettingsInterface, "AddSetting"));
    dbus_message_set_auto_start(message.get(), FALSE);
    DBusMessageIter args;
    dbus_message_iter_init_append(message.get(), &args);
    append_string(&args, "Devices/" + config_.unique_id);
    append_string(&args, name);
    // Defaults: the values in use (the configured ones at start; the local ones when the service
    // appears later), so that a new setting starts from them.
    if (name == "ClassAndVrmInstance") {
        append_variant(&args, Value(config_.device_class + ":" + std::to_string(instance_)));
        append_string(&args, "s");
        append_variant(&args, Value(std::int32_t{0}));
        append_variant(&args, Value(std::int32_t{0}));
    } else if (name == "Position") {
        append_variant(&args, Value(std::int32_t{position_}));
        append_string(&args, "i");
        append_variant(&args, Value(std::int32_t{0}));
        append_variant(&args, Value(std::int32_t{2}));
    } else {
        append_variant(&args, Value(custom_name_));
        append_string(&args, "s");
        append_variant(&args, Value(std::int32_t{0}));
        append_variant(&args, Value(std::int32_t{0}));
    }
    call_ = bus_.call(message.get(), kCallTimeoutMs, [this, index, name](const Reply& reply) {
        if (!reply.ok()) {
            fail(reply.error_name());
            return;
        }
        if (const char* sender = dbus_message_get_sender(reply.message)) owner_ = sender;
        dbus_int32_t result = 0;
        if (!dbus_message_get_args(reply.message, nullptr, DBUS_TYPE_INT32, &result, DBUS_TYPE_INVALID) ||
            result != 0) {
            LOG_WARNING("settings: AddSetting " << setting_path(name) << " returned " << result);
        }
        add_next(index + 1);
    });
}

void DeviceSettings::read_next(std::size_t index) {
    if (index == names_.size()) {
        registered();
        return;
    }
    const std::string name = names_[index];
    MessagePtr message(dbus_message_new_method_call(kSettingsService, setting_path(name).c_str(), kBusItemInterface,
                                                    "GetValue"));
    dbus_message_set_auto_start(message.get(), FALSE);
    call_ = bus_.call(message.get(), kCallTimeoutMs, [this, index, name](const Reply& reply) {
        if (!reply.ok()) {
            fail(reply.error_name());
            return;
        }
        DBusMessageIter args;
        std::optional<Value> value;
        if (dbus_message_iter_init(reply.message, &args)) value = read_variant(&args);
        // A value changed locally while the service was away wins over the stored one.
        const bool local = std::find(pending_.begin(), pending_.end(), name) != pending_.end();
        if (value && !local && apply(name, *value)) changed_ = true;
        read_next(index + 1);
    });
}

void DeviceSettings::registered() {
    deadline_.cancel();
    service_ = true;
    const bool joined = joining_;
    joining_ = false;
    // Changes made while the service was away move into it; the state file forgets them.
    const bool moved = !pending_.empty();
    for (const auto& name : std::exchange(pending_, {})) {
        store(name, name == "Position" ? Value(std::int32_t{position_}) : Value(custom_name_));
    }
    if (moved) forget_local_values();
    if (!joined) {
        finish();
        return;
    }
    LOG_INFO("settings: " << config_.unique_id << " registered with " << kSettingsService << ", device instance " << instance_);
    if (changed_ && on_change_) on_change_();
}

bool DeviceSettings::apply(const std::string& name, const Value& value) {
    const int instance = instance_, position = position_;
    const std::string custom_name = custom_name_;
    if (name == "ClassAndVrmInstance") {
        const auto* text = std::get_if<std::string>(&value);
        auto colon = text != nullptr ? text->rfind(':') : std::string::npos;
        try {
            if (colon == std::string::npos) throw std::invalid_argument("no colon");
            std::size_t used = 0;
            int instance = std::stoi(text->substr(colon + 1), &used);
            if (used != text->size() - colon - 1 || instance < 0) throw std::invalid_argument("not a number");
            instance_ = instance;
        } catch (const std::exception&) {
            LOG_WARNING("settings: " << setting_path(name) << " is not \"<class>:<instance>\", using instance "
                                     << instance_);
        }
    } else if (name == "Position") {
        if (const auto* i = std::get_if<std::int32_t>(&value); i != nullptr && *i >= 0 && *i <= 2) position_ = *i;
    } else if (name == "CustomName") {
        if (const auto* s = std::get_if<std::string>(&value)) custom_name_ = *s;
    }
    return instance != instance_ || position != position_ || custom_name != custom_name_;
}

void DeviceSettings::fail(const std::string& why) {
    call_.reset();
    if (ready_) {
        if (joining_) LOG_WARNING("settings: registering with " << kSettingsService << " failed (" << why << "); keeping the local values");
        joining_ = false;
        deadline_.cancel();
        return;
    }
    if (service_absent(why)) {
        LOG_INFO("settings: " << kSettingsService << " is not running; using device instance "
                              << config_.default_instance << " and the local state file");
    } else {
        LOG_WARNING("settings: " << kSettingsService << " failed (" << why << "); using device instance "
                                 << config_.default_instance << " and the local state file");
    }
    fall_back();
}

void DeviceSettings::fall_back() {
    service_ = false;
    instance_ = config_.default_instance;
    position_ = config_.default_position;
    custom_name_ = config_.default_custom_name;
    if (!config_.state_file.empty()) {
        if (auto content = util::read_whole_file(config_.state_file)) {
            auto state = nlohmann::json::parse(*content, nullptr, false);
            if (state.is_discarded() || !state.is_object()) {
                LOG_WARNING("settings: state file " << config_.state_file << " is not a JSON object; ignoring it");
            } else if (auto device = state.find(config_.unique_id); device != state.end() && device->is_object()) {
                // Values kept here while the service was away: they move into it when it appears.
                if (auto p = device->find("Position"); p != device->end() && p->is_number_integer()) {
                    int position = p->get<int>();
                    if (position >= 0 && position <= 2 && config_.with_position) {
                        position_ = position;
                        pending_.push_back("Position");
                    }
                }
                if (auto n = device->find("CustomName"); n != device->end() && n->is_string()) {
                    custom_name_ = n->get<std::string>();
                    pending_.push_back("CustomName");
                }
            }
        }
    }
    finish();
}

void DeviceSettings::finish() {
    deadline_.cancel();
    ready_ = true;
    LOG_INFO("settings: " << config_.unique_id << " uses device instance " << instance_);
    if (on_ready_) {
        auto callback = std::move(on_ready_);
        callback();
    }
}

void DeviceSettings::set_position(int position) {
    position_ = position;
    store("Position", Value(std::int32_t{position}));
}

void DeviceSettings::set_custom_name(const std::string& name) {
    custom_name_ = name;
    store("CustomName", Value(name));
}

void DeviceSettings::store(const std::string& name, const Value& value) {
    if (!service_) {
        if (std::find(pending_.begin(), pending_.end(), name) == pending_.end()) pending_.push_back(name);
        write_state_file();
        return;
    }
    MessagePtr message(dbus_message_new_method_call(kSettingsService, setting_path(name).c_str(), kBusItemInterface,
                                                    "SetValue"));
    dbus_message_set_auto_start(message.get(), FALSE);
    DBusMessageIter args;
    dbus_message_iter_init_append(message.get(), &args);
    append_variant(&args, value);
    std::erase_if(writes_, [](const PendingCall& call) { return !call.active(); });
    writes_.push_back(bus_.call(message.get(), kCallTimeoutMs, [path = setting_path(name)](const Reply& reply) {
        if (!reply.ok()) LOG_WARNING("settings: storing " << path << " failed: " << reply.error_name());
    }));
}

void DeviceSettings::forget_local_values() {
    if (config_.state_file.empty()) return;
    auto content = util::read_whole_file(config_.state_file);
    if (!content) return;
    auto state = nlohmann::json::parse(*content, nullptr, false);
    if (state.is_discarded() || !state.is_object() || state.erase(config_.unique_id) == 0) return;
    const auto problem = util::write_atomic(config_.state_file, state.dump(2) + "\n");
    if (problem) LOG_WARNING("settings: cannot update " << config_.state_file << ": " << *problem);
}

void DeviceSettings::write_state_file() {
    if (config_.state_file.empty()) return;
    nlohmann::json state = nlohmann::json::object();
    if (auto content = util::read_whole_file(config_.state_file)) {
        auto parsed = nlohmann::json::parse(*content, nullptr, false);
        if (!parsed.is_discarded() && parsed.is_object()) state = std::move(parsed);
    }
    nlohmann::json device = nlohmann::json::object();
    if (config_.with_position) device["Position"] = position_;
    device["CustomName"] = custom_name_;
    state[config_.unique_id] = device;
    const auto problem = util::write_atomic(config_.state_file, state.dump(2) + "\n");
    if (problem) LOG_ERROR("settings: cannot save " << config_.state_file << ": " << *problem);
}

}  // namespace busitem
