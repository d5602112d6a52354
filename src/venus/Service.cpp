// venus/Service: the com.victronenergy.BusItem tree of one D-Bus name (object handler,
// introspection, batched change signals).
#include "venus/Service.hpp"

#include <cmath>
#include <set>

#include "log/Log.hpp"
#include "venus/Message.hpp"

namespace venus {

namespace {

constexpr const char* kIntrospectHeader =
    "<!DOCTYPE node PUBLIC \"-//freedesktop//DTD D-BUS Object Introspection 1.0//EN\"\n"
    " \"http://www.freedesktop.org/standards/dbus/1.0/introspect.dtd\">\n"
    "<node>\n"
    " <interface name=\"org.freedesktop.DBus.Introspectable\">\n"
    "  <method name=\"Introspect\"><arg name=\"data\" type=\"s\" direction=\"out\"/></method>\n"
    " </interface>\n";

constexpr const char* kItemInterfaceXml =
    " <interface name=\"com.victronenergy.BusItem\">\n"
    "  <method name=\"GetValue\"><arg name=\"value\" type=\"v\" direction=\"out\"/></method>\n"
    "  <method name=\"GetText\"><arg name=\"text\" type=\"s\" direction=\"out\"/></method>\n"
    "  <method name=\"SetValue\"><arg name=\"value\" type=\"v\" direction=\"in\"/>"
    "<arg name=\"result\" type=\"i\" direction=\"out\"/></method>\n"
    "  <method name=\"GetDescription\"><arg name=\"language\" type=\"s\" direction=\"in\"/>"
    "<arg name=\"length\" type=\"i\" direction=\"in\"/><arg name=\"description\" type=\"s\" direction=\"out\"/></method>\n"
    "  <signal name=\"PropertiesChanged\"><arg name=\"changes\" type=\"a{sv}\"/></signal>\n"
    " </interface>\n";

constexpr const char* kNodeInterfaceXml =
    " <interface name=\"com.victronenergy.BusItem\">\n"
    "  <method name=\"GetValue\"><arg name=\"values\" type=\"v\" direction=\"out\"/></method>\n"
    "  <method name=\"GetText\"><arg name=\"texts\" type=\"v\" direction=\"out\"/></method>\n";

constexpr const char* kRootExtraXml =
    "  <method name=\"GetItems\"><arg name=\"items\" type=\"a{sa{sv}}\" direction=\"out\"/></method>\n"
    "  <signal name=\"ItemsChanged\"><arg name=\"changes\" type=\"a{sa{sv}}\"/></signal>\n";

// "/" -> "/", "/Ac" -> "/Ac/": the prefix of everything below a node.
std::string child_prefix(const std::string& path) { return path == "/" ? "/" : path + "/"; }

bool valid_path(const std::string& path) {
    if (path.size() < 2 || path[0] != '/' || path.back() == '/') return false;
    return dbus_validate_path(path.c_str(), nullptr);
}

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

Service::Service(loop::EventLoop& loop, std::string name)
    : name_(std::move(name)), bus_(std::make_unique<Bus>(loop)) {
    static const DBusObjectPathVTable vtable = {nullptr, &Service::on_message, nullptr, nullptr, nullptr, nullptr};
    DBusError error;
    dbus_error_init(&error);
    if (!dbus_connection_try_register_fallback(bus_->raw(), "/", &vtable, this, &error)) {
        std::string text = std::string("cannot export objects for ") + name_ + ": " +
                           (error.message != nullptr ? error.message : "unknown error");
        dbus_error_free(&error);
        throw BusError(text);
    }
}

Service::~Service() { dbus_connection_unregister_object_path(bus_->raw(), "/"); }

void Service::claim() {
    DBusError error;
    dbus_error_init(&error);
    int result = dbus_bus_request_name(bus_->raw(), name_.c_str(), DBUS_NAME_FLAG_DO_NOT_QUEUE, &error);
    if (result < 0) {
        std::string text = "cannot request the D-Bus name " + name_ + ": " +
                           (error.message != nullptr ? error.message : "unknown error");
        dbus_error_free(&error);
        throw BusError(text);
    }
    if (result != DBUS_REQUEST_NAME_REPLY_PRIMARY_OWNER && result != DBUS_REQUEST_NAME_REPLY_ALREADY_OWNER) {
        throw NameTaken(name_);
    }
    LOG_INFO("D-Bus: registered " << name_);
}

void Service::add(const std::string& path, Value initial, ItemOptions options) {
    if (!valid_path(path)) throw std::invalid_argument("invalid D-Bus item path \"" + path + "\"");
    if (options.type == 0) options.type = type_code(initial);
    std::erase(removed_, path);
    items_[path] = Item{std::move(initial), Value(), true, std::move(options)};
}

void Service::add(const std::string& path, Value initial, Formatter text) {
    ItemOptions options;
    options.text = std::move(text);
    add(path, std::move(initial), std::move(options));
}

void Service::remove(const std::string& path) {
    if (items_.erase(path) != 0) removed_.push_back(path);
}

const Value& Service::value(const std::string& path) const { return items_.at(path).value; }

std::string Service::text(const std::string& path) const { return text_of(items_.at(path)); }

std::vector<std::string> Service::paths() const {
    std::vector<std::string> result;
    result.reserve(items_.size());
    for (const auto& [path, item] : items_) result.push_back(path);
    return result;
}

void Service::set(const std::string& path, Value value) {
    auto found = items_.find(path);
    if (found == items_.end()) throw std::out_of_range("no D-Bus item " + path + " in " + name_);
    found->second.value = std::move(value);
}

std::string Service::text_of(const Item& item) const {
    if (!is_valid(item.value)) return "---";
    return item.options.text ? item.options.text(item.value) : format::plain(item.value);
}

void Service::flush() {
    // One entry per changed item, its text formatted once for both signals.
    struct Changed {
        const std::string* path;
        Item* item;
        std::string text;
    };
    std::vector<Changed> changed;
    for (auto& [path, item] : items_) {
        if (item.fresh || item.value != item.sent) changed.push_back({&path, &item, text_of(item)});
    }
    if (changed.empty() && removed_.empty()) return;

    MessagePtr items_changed(dbus_message_new_signal("/", kBusItemInterface, "ItemsChanged"));
    DBusMessageIter args;
    dbus_message_iter_init_append(items_changed.get(), &args);
    DBusMessageIter dict;
    dbus_message_iter_open_container(&args, DBUS_TYPE_ARRAY, "{sa{sv}}", &dict);
    auto add_entry = [&dict](const std::string& path, const Value& value, const std::string& text) {
        DBusMessageIter entry;
        dbus_message_iter_open_container(&dict, DBUS_TYPE_DICT_ENTRY, nullptr, &entry);
        append_string(&entry, path);
        append_value_text(&entry, value, text);
        dbus_message_iter_close_container(&dict, &entry);
    };
    for (const auto& entry : changed) add_entry(*entry.path, entry.item->value, entry.text);
    for (const auto& path : removed_) add_entry(path, Value(), "---");
    dbus_message_iter_close_container(&args, &dict);
    bus_->send(items_changed.get());

    for (auto& entry : changed) {
        MessagePtr signal(dbus_message_new_signal(entry.path->c_str(), kBusItemInterface, "PropertiesChanged"));
        DBusMessageIter signal_args;
        dbus_message_iter_init_append(signal.get(), &signal_args);
        append_value_text(&signal_args, entry.item->value, entry.text);
        bus_->send(signal.get());
        entry.item->sent = entry.item->value;
        entry.item->fresh = false;
    }
    removed_.clear();
}

DBusHandlerResult Service::on_message(DBusConnection*, DBusMessage* message, void* data) {
    return static_cast<Service*>(data)->handle(message);
}

bool Service::is_node(const std::string& path) const {
    if (path == "/") return true;
    const std::string prefix = child_prefix(path);
    auto found = items_.lower_bound(prefix);
    return found != items_.end() && found->first.compare(0, prefix.size(), prefix) == 0;
}

void Service::send_reply(DBusMessage* reply) {
    if (reply == nullptr) return;
    bus_->send(reply);
    dbus_message_unref(reply);
}

DBusHandlerResult Service::handle(DBusMessage* message) {
    if (dbus_message_get_type(message) != DBUS_MESSAGE_TYPE_METHOD_CALL) return DBUS_HANDLER_RESULT_NOT_YET_HANDLED;
    const char* raw_path = dbus_message_get_path(message);
    const char* raw_interface = dbus_message_get_interface(message);
    const char* raw_member = dbus_message_get_member(message);
    if (raw_path == nullptr || raw_member == nullptr) return DBUS_HANDLER_RESULT_NOT_YET_HANDLED;
    const std::string path = raw_path;
    const std::string interface = raw_interface != nullptr ? raw_interface : "";
    const std::string member = raw_member;

    auto item = items_.find(path);
    const bool exists = item != items_.end() || is_node(path);
    if (!exists) {
        send_reply(dbus_message_new_error(message, DBUS_ERROR_UNKNOWN_OBJECT, ("no item " + path).c_str()));
        return DBUS_HANDLER_RESULT_HANDLED;
    }
    if ((interface.empty() || interface == DBUS_INTERFACE_INTROSPECTABLE) && member == "Introspect") {
        DBusMessage* reply = dbus_message_new_method_return(message);
        std::string xml = introspect(path);
        const char* raw = xml.c_str();
        dbus_message_append_args(reply, DBUS_TYPE_STRING, &raw, DBUS_TYPE_INVALID);
        send_reply(reply);
        return DBUS_HANDLER_RESULT_HANDLED;
    }
    if (!interface.empty() && interface != kBusItemInterface) return DBUS_HANDLER_RESULT_NOT_YET_HANDLED;
    if (item != items_.end()) {
        if (member != "GetValue" && member != "GetText" && member != "SetValue" && member != "GetDescription") {
            return DBUS_HANDLER_RESULT_NOT_YET_HANDLED;
        }
        reply_item(message, member, path, item->second);
        return DBUS_HANDLER_RESULT_HANDLED;
    }
    if (member == "GetValue" || member == "GetText" || (member == "GetItems" && path == "/")) {
        reply_node(message, member, path);
        return DBUS_HANDLER_RESULT_HANDLED;
    }
    return DBUS_HANDLER_RESULT_NOT_YET_HANDLED;
}

void Service::reply_item(DBusMessage* message, const std::string& member, const std::string& path, Item& item) {
    if (member == "SetValue") {
        std::int32_t result = set_from_bus(item, message);
        DBusMessage* reply = dbus_message_new_method_return(message);
        dbus_int32_t raw = result;
        dbus_message_append_args(reply, DBUS_TYPE_INT32, &raw, DBUS_TYPE_INVALID);
        send_reply(reply);
        if (result == kAccepted) {
            LOG_INFO("D-Bus: " << name_ << path << " set to " << text_of(item));
            flush();
        }
        return;
    }
    DBusMessage* reply = dbus_message_new_method_return(message);
    DBusMessageIter args;
    dbus_message_iter_init_append(reply, &args);
    if (member == "GetValue") {
        append_variant(&args, item.value);
    } else if (member == "GetText") {
        append_string(&args, text_of(item));
    } else {
        append_string(&args, item.options.description);
    }
    send_reply(reply);
}

std::int32_t Service::set_from_bus(Item& item, DBusMessage* message) {
    if (!item.options.writable) return kNotAllowed;
    DBusMessageIter args;
    if (!dbus_message_iter_init(message, &args)) return kNotAllowed;
    auto incoming = read_variant(&args);
    if (!incoming) return kNotAllowed;
    Value converted = convert(*incoming, item.options.type);
    if (!is_valid(converted)) return kNotAllowed;
    if (item.options.validate && !item.options.validate(converted)) return kRefused;
    const bool changed = converted != item.value;
    item.value = std::move(converted);
    if (changed && item.options.on_change) item.options.on_change(item.value);
    return kAccepted;
}

void Service::reply_node(DBusMessage* message, const std::string& member, const std::string& path) {
    DBusMessage* reply = dbus_message_new_method_return(message);
    DBusMessageIter args;
    dbus_message_iter_init_append(reply, &args);
    const std::string prefix = child_prefix(path);
    if (member == "GetItems") {
        DBusMessageIter dict;
        dbus_message_iter_open_container(&args, DBUS_TYPE_ARRAY, "{sa{sv}}", &dict);
        for (const auto& [item_path, item] : items_) {
            DBusMessageIter entry;
            dbus_message_iter_open_container(&dict, DBUS_TYPE_DICT_ENTRY, nullptr, &entry);
            append_string(&entry, item_path);
            append_value_text(&entry, item.value, text_of(item));
            dbus_message_iter_close_container(&dict, &entry);
        }
        dbus_message_iter_close_container(&args, &dict);
        send_reply(reply);
        return;
    }
    const bool texts = member == "GetText";
    DBusMessageIter variant;
    dbus_message_iter_open_container(&args, DBUS_TYPE_VARIANT, texts ? "a{ss}" : "a{sv}", &variant);
    DBusMessageIter dict;
    dbus_message_iter_open_container(&variant, DBUS_TYPE_ARRAY, texts ? "{ss}" : "{sv}", &dict);
    for (auto it = items_.lower_bound(prefix); it != items_.end() && it->first.compare(0, prefix.size(), prefix) == 0;
         ++it) {
        DBusMessageIter entry;
        dbus_message_iter_open_container(&dict, DBUS_TYPE_DICT_ENTRY, nullptr, &entry);
        append_string(&entry, it->first.substr(prefix.size()));
        if (texts) {
            append_string(&entry, text_of(it->second));
        } else {
            append_variant(&entry, it->second.value);
        }
        dbus_message_iter_close_container(&dict, &entry);
    }
    dbus_message_iter_close_container(&variant, &dict);
    dbus_message_iter_close_container(&args, &variant);
    send_reply(reply);
}

std::string Service::introspect(const std::string& path) const {
    std::string xml = kIntrospectHeader;
    if (items_.count(path) != 0) {
        xml += kItemInterfaceXml;
    } else {
        xml += kNodeInterfaceXml;
        if (path == "/") xml += kRootExtraXml;
        xml += " </interface>\n";
    }
    const std::string prefix = child_prefix(path);
    std::set<std::string> children;
    for (auto it = items_.lower_bound(prefix); it != items_.end() && it->first.compare(0, prefix.size(), prefix) == 0;
         ++it) {
        std::string rest = it->first.substr(prefix.size());
        children.insert(rest.substr(0, rest.find('/')));
    }
    for (const auto& child : children) xml += " <node name=\"" + child + "\"/>\n";
    xml += "</node>\n";
    return xml;
}

}  // namespace venus
