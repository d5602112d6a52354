// busitem/Methods: the method calls a Service answers: one table from (interface, member, kind
// of object) to its handler, and the handlers (values, texts, SetValue, subtrees, GetItems).
#include <cmath>

#include "busitem/Message.hpp"
#include "busitem/Service.hpp"
#include "busitem/Subtree.hpp"
#include "log/Log.hpp"

namespace busitem {

namespace {

// Converts a SetValue argument to the item's type; monostate when it cannot.
Value convert(const Value& incoming, char type) {
    switch (type) {
        case 'i':
            if (const auto* i = std::get_if<std::int32_t>(&incoming)) return *i;
            if (const auto* d = std::get_if<double>(&incoming)) {
                if (std::isfinite(*d) && std::trunc(*d) == *d && std::fabs(*d) < 2147483647.0) {
                    return static_cast<std::int32_t>(*d);
                }
            }
            return {};
        case 'd':
            if (const auto* d = std::get_if<double>(&incoming)) return *d;
            if (const auto* i = std::get_if<std::int32_t>(&incoming)) return static_cast<double>(*i);
            return {};
        case 's':
            if (const auto* s = std::get_if<std::string>(&incoming)) return *s;
            return {};
        default:
            return {};
    }
}

}  // namespace

const MethodRow<Service::Handler> Service::kMethods[] = {
    {DBUS_INTERFACE_INTROSPECTABLE, "Introspect", kOnItem | kOnNode | kOnRoot, &Service::introspect},
    {kBusItemInterface, "GetValue", kOnItem, &Service::get_item_value},
    {kBusItemInterface, "GetText", kOnItem, &Service::get_item_text},
    {kBusItemInterface, "SetValue", kOnItem, &Service::set_item_value},
    {kBusItemInterface, "GetDescription", kOnItem, &Service::get_item_description},
    {kBusItemInterface, "GetValue", kOnNode, &Service::get_node_values},
    {kBusItemInterface, "GetText", kOnNode, &Service::get_node_texts},
    {kBusItemInterface, "GetItems", kOnRoot, &Service::get_items},
};

DBusHandlerResult Service::on_message(DBusConnection*, DBusMessage* message, void* data) {
    return static_cast<Service*>(data)->handle(message);
}

DBusHandlerResult Service::handle(DBusMessage* message) {
    if (dbus_message_get_type(message) != DBUS_MESSAGE_TYPE_METHOD_CALL) return DBUS_HANDLER_RESULT_NOT_YET_HANDLED;
    const char* raw_path = dbus_message_get_path(message);
    const char* raw_interface = dbus_message_get_interface(message);
    const char* raw_member = dbus_message_get_member(message);
    if (raw_path == nullptr || raw_member == nullptr) return DBUS_HANDLER_RESULT_NOT_YET_HANDLED;
    const std::string path = raw_path;

    auto item = items_.find(path);
    unsigned kind = 0;
    if (item != items_.end()) {
        kind = kOnItem;
    } else if (path == "/") {
        kind = kOnNode | kOnRoot;
    } else if (has_below(items_, path)) {
        kind = kOnNode;
    }
    if (kind == 0) {
        send_reply(dbus_message_new_error(message, DBUS_ERROR_UNKNOWN_OBJECT, ("no item " + path).c_str()));
        return DBUS_HANDLER_RESULT_HANDLED;
    }
    const auto* method = find_method(kMethods, raw_interface != nullptr ? raw_interface : "", raw_member, kind);
    if (method == nullptr) return DBUS_HANDLER_RESULT_NOT_YET_HANDLED;
    (this->*method->handler)(message, Target{path, item != items_.end() ? &item->second : nullptr});
    return DBUS_HANDLER_RESULT_HANDLED;
}

void Service::reply_string(DBusMessage* call, const std::string& text) {
    DBusMessage* reply = dbus_message_new_method_return(call);
    DBusMessageIter args;
    dbus_message_iter_init_append(reply, &args);
    append_string(&args, text);
    send_reply(reply);
}

void Service::introspect(DBusMessage* call, const Target& target) { reply_string(call, introspection(target.path)); }

void Service::get_item_value(DBusMessage* call, const Target& target) {
    DBusMessage* reply = dbus_message_new_method_return(call);
    DBusMessageIter args;
    dbus_message_iter_init_append(reply, &args);
    append_variant(&args, target.item->value);
    send_reply(reply);
}

void Service::get_item_text(DBusMessage* call, const Target& target) { reply_string(call, text_of(*target.item)); }

void Service::get_item_description(DBusMessage* call, const Target& target) {
    reply_string(call, target.item->options.description);
}

void Service::set_item_value(DBusMessage* call, const Target& target) {
    std::int32_t result = set_from_bus(*target.item, call);
    DBusMessage* reply = dbus_message_new_method_return(call);
    dbus_int32_t raw = result;
    dbus_message_append_args(reply, DBUS_TYPE_INT32, &raw, DBUS_TYPE_INVALID);
    send_reply(reply);
    if (result == kAccepted) {
        LOG_INFO("D-Bus: " << name_ << target.path << " set to " << text_of(*target.item));
        flush();
    }
}

std::int32_t Service::set_from_bus(ItemState& item, DBusMessage* call) {
    if (!item.options.writable) return kNotAllowed;
    DBusMessageIter args;
    if (!dbus_message_iter_init(call, &args)) return kNotAllowed;
    auto incoming = read_argument(&args);
    if (!incoming) return kNotAllowed;
    Value converted = convert(*incoming, item.options.type);
    if (!is_valid(converted)) return kNotAllowed;
    if (item.options.validate && !item.options.validate(converted)) return kRefused;
    const bool changed = item.set(std::move(converted));
    const Value written = item.value;
    if (changed && item.options.on_change) item.options.on_change(written);
    if (item.options.on_write) item.options.on_write(written);
    return kAccepted;
}

void Service::get_node_values(DBusMessage* call, const Target& target) { reply_subtree(call, target.path, false); }

void Service::get_node_texts(DBusMessage* call, const Target& target) { reply_subtree(call, target.path, true); }

// A variant holding the subtree's values (a{sv}) or texts (a{ss}), keyed by relative path.
void Service::reply_subtree(DBusMessage* call, const std::string& path, bool texts) {
    DBusMessage* reply = dbus_message_new_method_return(call);
    DBusMessageIter args, variant, dict;
    dbus_message_iter_init_append(reply, &args);
    dbus_message_iter_open_container(&args, DBUS_TYPE_VARIANT, texts ? "a{ss}" : "a{sv}", &variant);
    dbus_message_iter_open_container(&variant, DBUS_TYPE_ARRAY, texts ? "{ss}" : "{sv}", &dict);
    for_each_below(items_, path, [&dict, texts](std::string_view relative, const ItemState& item) {
        DBusMessageIter entry;
        dbus_message_iter_open_container(&dict, DBUS_TYPE_DICT_ENTRY, nullptr, &entry);
        append_string(&entry, std::string(relative));
        if (texts) {
            append_string(&entry, text_of(item));
        } else {
            append_variant(&entry, item.value);
        }
        dbus_message_iter_close_container(&dict, &entry);
    });
    dbus_message_iter_close_container(&variant, &dict);
    dbus_message_iter_close_container(&args, &variant);
    send_reply(reply);
}

void Service::get_items(DBusMessage* call, const Target&) {
    DBusMessage* reply = dbus_message_new_method_return(call);
    DBusMessageIter args, dict;
    dbus_message_iter_init_append(reply, &args);
    dbus_message_iter_open_container(&args, DBUS_TYPE_ARRAY, "{sa{sv}}", &dict);
    for (const auto& [path, item] : items_) {
        DBusMessageIter entry;
        dbus_message_iter_open_container(&dict, DBUS_TYPE_DICT_ENTRY, nullptr, &entry);
        append_string(&entry, path);
        append_value_text(&entry, item.value, text_of(item));
        dbus_message_iter_close_container(&dict, &entry);
    }
    dbus_message_iter_close_container(&args, &dict);
    send_reply(reply);
}

}  // namespace busitem
