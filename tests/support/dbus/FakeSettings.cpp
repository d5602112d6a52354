// tests/support/dbus: a stand-in for Venus's com.victronenergy.settings, in raw libdbus.
//
// Implements on /Settings: AddSetting(ssvsvv) -> i and AddSettings(aa{sv}) -> aa{sv}; on each
// setting path: GetValue, GetText, SetValue (a change signals PropertiesChanged {Value} on the
// path, as the real service does). A new .../ClassAndVrmInstance setting whose
// default "<class>:<n>" is already used by another device gets the next free n, as the real
// service does. Options:
//   --occupy PATH=VALUE   a setting that exists before anyone asks (e.g. another device's instance)
//   --silent              never answer AddSetting / AddSettings (to test the caller's deadline)
// Prints "ready" once the name is owned; uses DBUS_SESSION_BUS_ADDRESS.
#include <dbus/dbus.h>

#include <cstdio>
#include <cstring>
#include <map>
#include <string>
#include <variant>

namespace {

using Setting = std::variant<std::int32_t, double, std::string>;

std::map<std::string, Setting> settings;
bool silent = false;

bool read_setting(DBusMessageIter* iter, Setting& out) {
    DBusMessageIter inner;
    if (dbus_message_iter_get_arg_type(iter) == DBUS_TYPE_VARIANT) {
        dbus_message_iter_recurse(iter, &inner);
        iter = &inner;
    }
    switch (dbus_message_iter_get_arg_type(iter)) {
        case DBUS_TYPE_INT32: {
            dbus_int32_t v;
            dbus_message_iter_get_basic(iter, &v);
            out = static_cast<std::int32_t>(v);
            return true;
        }
        case DBUS_TYPE_DOUBLE: {
            double v;
            dbus_message_iter_get_basic(iter, &v);
            out = v;
            return true;
        }
        case DBUS_TYPE_STRING: {
            const char* v;
            dbus_message_iter_get_basic(iter, &v);
            out = std::string(v);
            return true;
        }
        default:
            return false;
    }
}

void append_setting(DBusMessageIter* iter, const Setting& value) {
    DBusMessageIter inner;
    if (const auto* i = std::get_if<std::int32_t>(&value)) {
        dbus_message_iter_open_container(iter, DBUS_TYPE_VARIANT, "i", &inner);
        dbus_int32_t v = *i;
        dbus_message_iter_append_basic(&inner, DBUS_TYPE_INT32, &v);
    } else if (const auto* d = std::get_if<double>(&value)) {
        dbus_message_iter_open_container(iter, DBUS_TYPE_VARIANT, "d", &inner);
        double v = *d;
        dbus_message_iter_append_basic(&inner, DBUS_TYPE_DOUBLE, &v);
    } else {
        dbus_message_iter_open_container(iter, DBUS_TYPE_VARIANT, "s", &inner);
        const char* v = std::get<std::string>(value).c_str();
        dbus_message_iter_append_basic(&inner, DBUS_TYPE_STRING, &v);
    }
    dbus_message_iter_close_container(iter, &inner);
}

bool ends_with(const std::string& text, const std::string& suffix) {
    return text.size() >= suffix.size() && text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// Adds a setting unless it exists; a taken "<class>:<n>" instance moves to the next free n.
void add_setting(const std::string& path, Setting value) {
    if (settings.count(path) != 0) return;
    if (ends_with(path, "/ClassAndVrmInstance") && std::holds_alternative<std::string>(value)) {
        std::string text = std::get<std::string>(value);
        auto colon = text.find(':');
        if (colon != std::string::npos) {
            std::string klass = text.substr(0, colon);
            int instance = std::stoi(text.substr(colon + 1));
            auto taken = [&](int n) {
                for (const auto& [other, setting] : settings) {
                    if (ends_with(other, "/ClassAndVrmInstance") && setting == Setting(klass + ":" + std::to_string(n))) {
                        return true;
                    }
                }
                return false;
            };
            while (taken(instance)) ++instance;
            value = klass + ":" + std::to_string(instance);
        }
    }
    settings[path] = value;
}

std::string full_path(const std::string& path) {
    if (path.rfind("/Settings/", 0) == 0) return path;
    return "/Settings/" + (path.size() > 0 && path[0] == '/' ? path.substr(1) : path);
}

void reply_int(DBusConnection* connection, DBusMessage* message, dbus_int32_t result) {
    DBusMessage* reply = dbus_message_new_method_return(message);
    dbus_message_append_args(reply, DBUS_TYPE_INT32, &result, DBUS_TYPE_INVALID);
    dbus_connection_send(connection, reply, nullptr);
    dbus_message_unref(reply);
}

DBusHandlerResult handle_add_setting(DBusConnection* connection, DBusMessage* message) {
    DBusMessageIter args;
    dbus_message_iter_init(message, &args);
    const char* group = nullptr;
    const char* name = nullptr;
    dbus_message_iter_get_basic(&args, &group);
    dbus_message_iter_next(&args);
    dbus_message_iter_get_basic(&args, &name);
    dbus_message_iter_next(&args);
    Setting value;
    if (!read_setting(&args, value)) {
        reply_int(connection, message, -4);
        return DBUS_HANDLER_RESULT_HANDLED;
    }
    add_setting(full_path(std::string(group) + "/" + name), value);
    reply_int(connection, message, 0);
    return DBUS_HANDLER_RESULT_HANDLED;
}

DBusHandlerResult handle_add_settings(DBusConnection* connection, DBusMessage* message) {
    DBusMessage* reply = dbus_message_new_method_return(message);
    DBusMessageIter out;
    dbus_message_iter_init_append(reply, &out);
    DBusMessageIter results;
    dbus_message_iter_open_container(&out, DBUS_TYPE_ARRAY, "a{sv}", &results);
    DBusMessageIter args, list;
    dbus_message_iter_init(message, &args);
    dbus_message_iter_recurse(&args, &list);
    while (dbus_message_iter_get_arg_type(&list) == DBUS_TYPE_ARRAY) {
        DBusMessageIter dict;
        dbus_message_iter_recurse(&list, &dict);
        std::string path;
        Setting value;
        bool has_default = false;
        while (dbus_message_iter_get_arg_type(&dict) == DBUS_TYPE_DICT_ENTRY) {
            DBusMessageIter entry;
            dbus_message_iter_recurse(&dict, &entry);
            const char* key = nullptr;
            dbus_message_iter_get_basic(&entry, &key);
            dbus_message_iter_next(&entry);
            Setting field;
            if (read_setting(&entry, field)) {
                if (std::strcmp(key, "path") == 0 && std::holds_alternative<std::string>(field)) {
                    path = full_path(std::get<std::string>(field));
                }
                if (std::strcmp(key, "default") == 0) {
                    value = field;
                    has_default = true;
                }
            }
            dbus_message_iter_next(&dict);
        }
        dbus_int32_t error = (!path.empty() && has_default) ? 0 : -1;
        if (error == 0) add_setting(path, value);
        DBusMessageIter result, entry;
        dbus_message_iter_open_container(&results, DBUS_TYPE_ARRAY, "{sv}", &result);
        dbus_message_iter_open_container(&result, DBUS_TYPE_DICT_ENTRY, nullptr, &entry);
        const char* key = "path";
        dbus_message_iter_append_basic(&entry, DBUS_TYPE_STRING, &key);
        append_setting(&entry, Setting(path));
        dbus_message_iter_close_container(&result, &entry);
        dbus_message_iter_open_container(&result, DBUS_TYPE_DICT_ENTRY, nullptr, &entry);
        key = "error";
        dbus_message_iter_append_basic(&entry, DBUS_TYPE_STRING, &key);
        append_setting(&entry, Setting(static_cast<std::int32_t>(error)));
        dbus_message_iter_close_container(&result, &entry);
        dbus_message_iter_close_container(&results, &result);
        dbus_message_iter_next(&list);
    }
    dbus_message_iter_close_container(&out, &results);
    dbus_connection_send(connection, reply, nullptr);
    dbus_message_unref(reply);
    return DBUS_HANDLER_RESULT_HANDLED;
}

// Like the real service: a changed setting signals PropertiesChanged {Value, Text} on its path.
void properties_changed(DBusConnection* connection, const std::string& path, const Setting& value) {
    DBusMessage* signal = dbus_message_new_signal(path.c_str(), "com.victronenergy.BusItem", "PropertiesChanged");
    DBusMessageIter out, dict;
    dbus_message_iter_init_append(signal, &out);
    dbus_message_iter_open_container(&out, DBUS_TYPE_ARRAY, "{sv}", &dict);
    DBusMessageIter entry;
    dbus_message_iter_open_container(&dict, DBUS_TYPE_DICT_ENTRY, nullptr, &entry);
    const char* key = "Value";
    dbus_message_iter_append_basic(&entry, DBUS_TYPE_STRING, &key);
    append_setting(&entry, value);
    dbus_message_iter_close_container(&dict, &entry);
    dbus_message_iter_close_container(&out, &dict);
    dbus_connection_send(connection, signal, nullptr);
    dbus_message_unref(signal);
}

DBusHandlerResult on_message(DBusConnection* connection, DBusMessage* message, void*) {
    if (dbus_message_get_type(message) != DBUS_MESSAGE_TYPE_METHOD_CALL) return DBUS_HANDLER_RESULT_NOT_YET_HANDLED;
    const std::string path = dbus_message_get_path(message);
    const std::string member = dbus_message_get_member(message);
    if (path == "/Settings" && (member == "AddSetting" || member == "AddSettings")) {
        if (silent) return DBUS_HANDLER_RESULT_HANDLED;
        return member == "AddSetting" ? handle_add_setting(connection, message) : handle_add_settings(connection, message);
    }
    auto found = settings.find(path);
    if (found == settings.end()) {
        DBusMessage* error = dbus_message_new_error(message, DBUS_ERROR_UNKNOWN_OBJECT, "no such setting");
        dbus_connection_send(connection, error, nullptr);
        dbus_message_unref(error);
        return DBUS_HANDLER_RESULT_HANDLED;
    }
    if (member == "GetValue" || member == "GetText") {
        DBusMessage* reply = dbus_message_new_method_return(message);
        DBusMessageIter out;
        dbus_message_iter_init_append(reply, &out);
        if (member == "GetValue") {
            append_setting(&out, found->second);
        } else {
            std::string text = std::visit(
                [](const auto& v) {
                    if constexpr (std::is_same_v<std::decay_t<decltype(v)>, std::string>) {
                        return v;
                    } else {
                        return std::to_string(v);
                    }
                },
                found->second);
            const char* raw = text.c_str();
            dbus_message_iter_append_basic(&out, DBUS_TYPE_STRING, &raw);
        }
        dbus_connection_send(connection, reply, nullptr);
        dbus_message_unref(reply);
        return DBUS_HANDLER_RESULT_HANDLED;
    }
    if (member == "SetValue") {
        DBusMessageIter args;
        Setting value;
        if (!dbus_message_iter_init(message, &args) || !read_setting(&args, value) ||
            value.index() != found->second.index()) {
            reply_int(connection, message, -1);
        } else {
            const bool changed = found->second != value;
            found->second = value;
            reply_int(connection, message, 0);
            if (changed) properties_changed(connection, path, value);
        }
        return DBUS_HANDLER_RESULT_HANDLED;
    }
    return DBUS_HANDLER_RESULT_NOT_YET_HANDLED;
}

}  // namespace

int main(int argc, char** argv) {
    for (int i = 1; i < argc; ++i) {
        std::string arg = argv[i];
        if (arg == "--silent") {
            silent = true;
        } else if (arg == "--occupy" && i + 1 < argc) {
            std::string spec = argv[++i];
            auto equals = spec.find('=');
            if (equals == std::string::npos) {
                std::fprintf(stderr, "--occupy wants PATH=VALUE, got %s\n", spec.c_str());
                return 2;
            }
            settings[spec.substr(0, equals)] = spec.substr(equals + 1);
        } else {
            std::fprintf(stderr, "unknown option %s\n", arg.c_str());
            return 2;
        }
    }
    DBusError error;
    dbus_error_init(&error);
    DBusConnection* connection = dbus_bus_get_private(DBUS_BUS_SESSION, &error);
    if (connection == nullptr) {
        std::fprintf(stderr, "cannot connect: %s\n", error.message);
        return 1;
    }
    static const DBusObjectPathVTable vtable = {nullptr, on_message, nullptr, nullptr, nullptr, nullptr};
    dbus_connection_register_fallback(connection, "/", &vtable, nullptr);
    if (dbus_bus_request_name(connection, "com.victronenergy.settings", DBUS_NAME_FLAG_DO_NOT_QUEUE, &error) !=
        DBUS_REQUEST_NAME_REPLY_PRIMARY_OWNER) {
        std::fprintf(stderr, "cannot own com.victronenergy.settings\n");
        return 1;
    }
    std::printf("ready\n");
    std::fflush(stdout);
    while (dbus_connection_read_write_dispatch(connection, -1)) {
    }
    return 0;
}
