// venus/DeviceSettings: VRM instance, position and custom name from com.victronenergy.settings,
// with a local JSON state file as fallback.
#include "venus/DeviceSettings.hpp"

#include <nlohmann/json.hpp>

#include "log/Log.hpp"
#include "util/AtomicFile.hpp"
#include "venus/Message.hpp"

namespace venus {

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
    deadline_.start(config_.deadline, [this] { fail("no answer within the deadline"); });
    add_next(0);
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
    if (name == "ClassAndVrmInstance") {
        append_variant(&args, Value(config_.device_class + ":" + std::to_string(config_.default_instance)));
        append_string(&args, "s");
        append_variant(&args, Value(std::int32_t{0}));
        append_variant(&args, Value(std::int32_t{0}));
    } else if (name == "Position") {
        append_variant(&args, Value(std::int32_t{config_.default_position}));
        append_string(&args, "i");
        append_variant(&args, Value(std::int32_t{0}));
        append_variant(&args, Value(std::int32_t{2}));
    } else {
        append_variant(&args, Value(config_.default_custom_name));
        append_string(&args, "s");
        append_variant(&args, Value(std::int32_t{0}));
        append_variant(&args, Value(std::int32_t{0}));
    }
    call_ = bus_.call(message.get(), kCallTimeoutMs, [this, index, name](const Reply& reply) {
        if (!reply.ok()) {
            fail(reply.error_name());
            return;
        }
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
        service_ = true;
        finish();
        return;
    }
    const std::string name = names_[index];
    MessagePtr message(dbus_message_new_method_call(kSettingsService, setting_path(name).c_str(), "com.victronenergy.BusItem",
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
        if (value) apply(name, *value);
        read_next(index + 1);
    });
}

void DeviceSettings::apply(const std::string& name, const Value& value) {
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
}

void DeviceSettings::fail(const std::string& why) {
    if (ready_) return;
    call_.reset();
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
                if (auto p = device->find("Position"); p != device->end() && p->is_number_integer()) {
                    int position = p->get<int>();
                    if (position >= 0 && position <= 2) position_ = position;
                }
                if (auto n = device->find("CustomName"); n != device->end() && n->is_string()) {
                    custom_name_ = n->get<std::string>();
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
        write_state_file();
        return;
    }
    MessagePtr message(dbus_message_new_method_call(kSettingsService, setting_path(name).c_str(), "com.victronenergy.BusItem",
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
    std::string error = util::write_atomic(config_.state_file, state.dump(2) + "\n");
    if (!error.empty()) LOG_ERROR("settings: cannot save " << config_.state_file << ": " << error);
}

}  // namespace venus
