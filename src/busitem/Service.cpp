// busitem/Service: the item tree of one D-Bus name: its name, its items and their batched change
// signals (method calls are answered in Methods.cpp, introspection in Introspection.cpp).
#include "busitem/Service.hpp"

#include <algorithm>

#include "busitem/Message.hpp"
#include "log/Log.hpp"

namespace busitem {

namespace {

bool valid_path(const std::string& path) {
    if (path.size() < 2 || path[0] != '/' || path.back() == '/') return false;
    return dbus_validate_path(path.c_str(), nullptr);
}

}  // namespace

Service::Service(loop::EventLoop& loop, std::string name)
    : name_(std::move(name)),
      bus_(std::make_unique<Bus>(loop)),
      items_changed_(dbus_message_new_signal("/", kBusItemInterface, "ItemsChanged")) {
    if (!items_changed_) throw BusError("out of memory creating the ItemsChanged signal of " + name_);
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
    // What is there now is read with GetItems by whoever sees the name appear.
    for (auto& [path, item] : items_) {
        item.sent = item.value;
        item.fresh = false;
        item.listed = false;
    }
    changes_.clear();
    removed_.clear();
    LOG_INFO("D-Bus: registered " << name_);
}

Item Service::add(const std::string& path, Value initial, ItemOptions options) {
    if (!valid_path(path)) throw std::invalid_argument("invalid D-Bus item path \"" + path + "\"");
    if (options.type == 0) options.type = type_code(initial);
    std::erase(removed_, path);
    auto [entry, added] = items_.try_emplace(path);
    if (added) ranks_stale_ = true;
    // A replaced item keeps its place in the list of changes.
    ItemState& item = entry->second;
    item.value = std::move(initial);
    item.sent = Value();
    item.fresh = true;
    item.options = std::move(options);
    item.path = &entry->first;
    item.changes = &changes_;
    item.list();
    return Item(*entry);
}

Item Service::add(const std::string& path, Value initial, Formatter text) {
    ItemOptions options;
    options.text = std::move(text);
    return add(path, std::move(initial), std::move(options));
}

void Service::remove(Item& item) {
    if (!item) return;
    ItemState& state = item.entry().second;
    if (state.listed) std::erase(changes_, &state);
    std::string path = item.path();
    item = Item();
    if (items_.erase(path) != 0) removed_.push_back(std::move(path));
}

void Service::collect_changes() {
    changed_.clear();
    if (ranks_stale_) {
        std::size_t rank = 0;
        for (auto& [path, item] : items_) item.rank = rank++;
        ranks_stale_ = false;
    }
    std::sort(changes_.begin(), changes_.end(), [](const ItemState* a, const ItemState* b) { return a->rank < b->rank; });
    for (ItemState* item : changes_) {
        item->listed = false;
        if (!item->fresh && item->value == item->sent) continue;
        changed_.push_back({item->path, item, text_of(*item)});
        item->sent = item->value;
        item->fresh = false;
    }
    changes_.clear();
}

void Service::flush_batch() {
    collect_changes();
    if (changed_.empty() && removed_.empty()) return;
    MessagePtr signal(dbus_message_copy(items_changed_.get()));
    if (!signal) {
        LOG_ERROR("D-Bus: out of memory building ItemsChanged of " << name_);
        return;
    }
    DBusMessageIter args;
    dbus_message_iter_init_append(signal.get(), &args);
    DBusMessageIter dict;
    dbus_message_iter_open_container(&args, DBUS_TYPE_ARRAY, "{sa{sv}}", &dict);
    auto add_entry = [&dict](const std::string& path, const Value& value, const std::string& text) {
        DBusMessageIter entry;
        dbus_message_iter_open_container(&dict, DBUS_TYPE_DICT_ENTRY, nullptr, &entry);
        append_string(&entry, path);
        append_value_text(&entry, value, text);
        dbus_message_iter_close_container(&dict, &entry);
    };
    for (const auto& change : changed_) add_entry(*change.path, change.item->value, change.text);
    for (const auto& path : removed_) add_entry(path, Value(), kInvalidText);
    dbus_message_iter_close_container(&args, &dict);
    bus_->send(signal.get());
    removed_.clear();
}

void Service::flush() {
    collect_changes();
    auto send = [this](const std::string& path, const Value& value, const std::string& text) {
        MessagePtr signal(dbus_message_new_signal(path.c_str(), kBusItemInterface, "PropertiesChanged"));
        DBusMessageIter args;
        dbus_message_iter_init_append(signal.get(), &args);
        append_value_text(&args, value, text);
        bus_->send(signal.get());
    };
    for (const auto& change : changed_) send(*change.path, change.item->value, change.text);
    for (const auto& path : removed_) send(path, Value(), kInvalidText);
    removed_.clear();
}

void Service::send_reply(DBusMessage* reply) {
    if (reply == nullptr) return;
    bus_->send(reply);
    dbus_message_unref(reply);
}

}  // namespace busitem
