// tests/support/dbus: the independent raw-libdbus test client.
#include "BusClient.hpp"

#include <stdexcept>

namespace dbustest {

namespace {

constexpr const char* kBusItem = "com.victronenergy.BusItem";
constexpr int kTimeoutMs = 5000;

std::string signature_of(DBusMessageIter* iter) {
    char* raw = dbus_message_iter_get_signature(iter);
    std::string signature = raw != nullptr ? raw : "";
    dbus_free(raw);
    return signature;
}

Typed read_typed(DBusMessageIter* variant) {
    DBusMessageIter inner;
    dbus_message_iter_recurse(variant, &inner);
    return Typed{signature_of(&inner), decode(&inner)};
}

}  // namespace

nlohmann::json decode(DBusMessageIter* iter) {
    switch (dbus_message_iter_get_arg_type(iter)) {
        case DBUS_TYPE_INT32: {
            dbus_int32_t v;
            dbus_message_iter_get_basic(iter, &v);
            return v;
        }
        case DBUS_TYPE_UINT32: {
            dbus_uint32_t v;
            dbus_message_iter_get_basic(iter, &v);
            return v;
        }
        case DBUS_TYPE_INT64: {
            dbus_int64_t v;
            dbus_message_iter_get_basic(iter, &v);
            return v;
        }
        case DBUS_TYPE_DOUBLE: {
            double v;
            dbus_message_iter_get_basic(iter, &v);
            return v;
        }
        case DBUS_TYPE_BOOLEAN: {
            dbus_bool_t v;
            dbus_message_iter_get_basic(iter, &v);
            return v != 0;
        }
        case DBUS_TYPE_STRING:
        case DBUS_TYPE_OBJECT_PATH: {
            const char* v;
            dbus_message_iter_get_basic(iter, &v);
            return std::string(v);
        }
        case DBUS_TYPE_VARIANT: {
            DBusMessageIter inner;
            dbus_message_iter_recurse(iter, &inner);
            return decode(&inner);
        }
        case DBUS_TYPE_ARRAY: {
            DBusMessageIter inner;
            dbus_message_iter_recurse(iter, &inner);
            if (dbus_message_iter_get_element_type(iter) == DBUS_TYPE_DICT_ENTRY) {
                nlohmann::json object = nlohmann::json::object();
                while (dbus_message_iter_get_arg_type(&inner) == DBUS_TYPE_DICT_ENTRY) {
                    DBusMessageIter entry;
                    dbus_message_iter_recurse(&inner, &entry);
                    std::string key = decode(&entry).get<std::string>();
                    dbus_message_iter_next(&entry);
                    object[key] = decode(&entry);
                    dbus_message_iter_next(&inner);
                }
                return object;
            }
            nlohmann::json array = nlohmann::json::array();
            while (dbus_message_iter_get_arg_type(&inner) != DBUS_TYPE_INVALID) {
                array.push_back(decode(&inner));
                dbus_message_iter_next(&inner);
            }
            return array;
        }
        default:
            return nullptr;
    }
}

BusClient::BusClient(const std::string& address) {
    DBusError error;
    dbus_error_init(&error);
    connection_ = dbus_connection_open_private(address.c_str(), &error);
    if (connection_ == nullptr || !dbus_bus_register(connection_, &error)) {
        std::string text = error.message != nullptr ? error.message : "unknown";
        dbus_error_free(&error);
        throw std::runtime_error("test client cannot connect: " + text);
    }
    dbus_connection_set_exit_on_disconnect(connection_, FALSE);
}

BusClient::~BusClient() {
    dbus_connection_close(connection_);
    dbus_connection_unref(connection_);
}

DBusMessage* BusClient::call(DBusMessage* message) {
    DBusError error;
    dbus_error_init(&error);
    DBusMessage* reply = dbus_connection_send_with_reply_and_block(connection_, message, kTimeoutMs, &error);
    dbus_message_unref(message);
    if (reply == nullptr) {
        std::string text = std::string(error.name != nullptr ? error.name : "") + ": " +
                           (error.message != nullptr ? error.message : "");
        dbus_error_free(&error);
        throw std::runtime_error(text);
    }
    return reply;
}

DBusMessage* BusClient::method(const std::string& service, const std::string& path, const std::string& interface,
                               const std::string& member) {
    return dbus_message_new_method_call(service.c_str(), path.c_str(), interface.c_str(), member.c_str());
}

std::map<std::string, ItemEntry> BusClient::get_items(const std::string& service) {
    DBusMessage* reply = call(method(service, "/", kBusItem, "GetItems"));
    std::map<std::string, ItemEntry> items;
    DBusMessageIter args, dict;
    dbus_message_iter_init(reply, &args);
    dbus_message_iter_recurse(&args, &dict);
    while (dbus_message_iter_get_arg_type(&dict) == DBUS_TYPE_DICT_ENTRY) {
        DBusMessageIter entry, fields;
        dbus_message_iter_recurse(&dict, &entry);
        const char* path;
        dbus_message_iter_get_basic(&entry, &path);
        dbus_message_iter_next(&entry);
        dbus_message_iter_recurse(&entry, &fields);
        ItemEntry item;
        while (dbus_message_iter_get_arg_type(&fields) == DBUS_TYPE_DICT_ENTRY) {
            DBusMessageIter field;
            dbus_message_iter_recurse(&fields, &field);
            const char* key;
            dbus_message_iter_get_basic(&field, &key);
            dbus_message_iter_next(&field);
            if (std::string(key) == "Value") item.value = read_typed(&field);
            if (std::string(key) == "Text") item.text = decode(&field).get<std::string>();
            dbus_message_iter_next(&fields);
        }
        items[path] = item;
        dbus_message_iter_next(&dict);
    }
    dbus_message_unref(reply);
    return items;
}

Typed BusClient::get_value(const std::string& service, const std::string& path) {
    DBusMessage* reply = call(method(service, path, kBusItem, "GetValue"));
    DBusMessageIter args;
    dbus_message_iter_init(reply, &args);
    Typed result = read_typed(&args);
    dbus_message_unref(reply);
    return result;
}

Typed BusClient::get_text_variant(const std::string& service, const std::string& path) {
    DBusMessage* reply = call(method(service, path, kBusItem, "GetText"));
    DBusMessageIter args;
    dbus_message_iter_init(reply, &args);
    Typed result = dbus_message_iter_get_arg_type(&args) == DBUS_TYPE_VARIANT
                       ? read_typed(&args)
                       : Typed{signature_of(&args), decode(&args)};
    dbus_message_unref(reply);
    return result;
}

std::string BusClient::get_text(const std::string& service, const std::string& path) {
    DBusMessage* reply = call(method(service, path, kBusItem, "GetText"));
    const char* text = nullptr;
    dbus_message_get_args(reply, nullptr, DBUS_TYPE_STRING, &text, DBUS_TYPE_INVALID);
    std::string result = text != nullptr ? text : "<not a string>";
    dbus_message_unref(reply);
    return result;
}

namespace {

int set_result(DBusMessage* reply) {
    dbus_int32_t result = -100;
    dbus_message_get_args(reply, nullptr, DBUS_TYPE_INT32, &result, DBUS_TYPE_INVALID);
    dbus_message_unref(reply);
    return result;
}

}  // namespace

int BusClient::set_value(const std::string& service, const std::string& path, int value) {
    DBusMessage* message = method(service, path, kBusItem, "SetValue");
    DBusMessageIter args, variant;
    dbus_message_iter_init_append(message, &args);
    dbus_message_iter_open_container(&args, DBUS_TYPE_VARIANT, "i", &variant);
    dbus_int32_t raw = value;
    dbus_message_iter_append_basic(&variant, DBUS_TYPE_INT32, &raw);
    dbus_message_iter_close_container(&args, &variant);
    return set_result(call(message));
}

int BusClient::set_value(const std::string& service, const std::string& path, const std::string& value) {
    DBusMessage* message = method(service, path, kBusItem, "SetValue");
    DBusMessageIter args, variant;
    dbus_message_iter_init_append(message, &args);
    dbus_message_iter_open_container(&args, DBUS_TYPE_VARIANT, "s", &variant);
    const char* raw = value.c_str();
    dbus_message_iter_append_basic(&variant, DBUS_TYPE_STRING, &raw);
    dbus_message_iter_close_container(&args, &variant);
    return set_result(call(message));
}

std::string BusClient::introspect(const std::string& service, const std::string& path) {
    DBusMessage* reply = call(method(service, path, DBUS_INTERFACE_INTROSPECTABLE, "Introspect"));
    const char* xml = nullptr;
    dbus_message_get_args(reply, nullptr, DBUS_TYPE_STRING, &xml, DBUS_TYPE_INVALID);
    std::string result = xml != nullptr ? xml : "";
    dbus_message_unref(reply);
    return result;
}

std::string BusClient::call_error(const std::string& service, const std::string& path, const std::string& member) {
    try {
        dbus_message_unref(call(method(service, path, kBusItem, member)));
        return "";
    } catch (const std::runtime_error& error) {
        std::string text = error.what();
        return text.substr(0, text.find(':'));
    }
}

void BusClient::subscribe(const std::string& service) {
    std::string rule = "type='signal',sender='" + service + "'";
    DBusError error;
    dbus_error_init(&error);
    dbus_bus_add_match(connection_, rule.c_str(), &error);
    if (dbus_error_is_set(&error)) {
        std::string text = error.message;
        dbus_error_free(&error);
        throw std::runtime_error("add_match failed: " + text);
    }
}

void BusClient::collect() {
    dbus_connection_read_write(connection_, 0);
    while (DBusMessage* message = dbus_connection_pop_message(connection_)) {
        if (dbus_message_get_type(message) == DBUS_MESSAGE_TYPE_SIGNAL &&
            std::string(dbus_message_get_interface(message)) == kBusItem) {
            Signal signal;
            signal.path = dbus_message_get_path(message);
            signal.member = dbus_message_get_member(message);
            DBusMessageIter args;
            signal.signature = dbus_message_get_signature(message);
            if (dbus_message_iter_init(message, &args)) {
                signal.body = decode(&args);
                if (dbus_message_iter_get_arg_type(&args) == DBUS_TYPE_ARRAY &&
                    dbus_message_iter_get_element_type(&args) == DBUS_TYPE_DICT_ENTRY) {
                    DBusMessageIter dict;
                    for (dbus_message_iter_recurse(&args, &dict);
                         dbus_message_iter_get_arg_type(&dict) == DBUS_TYPE_DICT_ENTRY; dbus_message_iter_next(&dict)) {
                        DBusMessageIter entry;
                        dbus_message_iter_recurse(&dict, &entry);
                        if (dbus_message_iter_get_arg_type(&entry) == DBUS_TYPE_STRING) {
                            signal.keys.push_back(decode(&entry).get<std::string>());
                        }
                    }
                }
            }
            signals_.push_back(std::move(signal));
        }
        dbus_message_unref(message);
    }
}

std::vector<Signal> BusClient::take_signals(const std::string& service) {
    dbus_message_unref(call(method(service, "/", kBusItem, "GetValue")));
    collect();
    std::vector<Signal> result;
    result.swap(signals_);
    return result;
}

}  // namespace dbustest
