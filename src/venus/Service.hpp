// venus/Service: one well-known D-Bus name exporting a tree of com.victronenergy.BusItem items.
//
// Each Service has its own private connection (as velib_python does), so two services of one
// process never share object paths or signal senders. Items are leaves such as /Ac/Power;
// intermediate nodes (/, /Ac, /Ac/L1) exist implicitly. Every object answers
// org.freedesktop.DBus.Introspectable; items answer GetValue, GetText, SetValue,
// GetDescription; nodes answer GetValue / GetText with their subtree (relative paths as keys;
// GetText gives a variant holding a{ss}), and "/" also answers GetItems.
//
// Updates are batched: set() only records; flush() emits ONE ItemsChanged on "/" with every
// item whose value differs from what was last sent, plus one PropertiesChanged per such item.
// An item added after the last flush is sent on the next one; a removed item is sent once
// more as invalid in the next ItemsChanged so that consumers drop its old value.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "loop/EventLoop.hpp"
#include "venus/Bus.hpp"
#include "venus/Value.hpp"

namespace venus {

inline constexpr const char* kBusItemInterface = "com.victronenergy.BusItem";

// The well-known name is owned by another process.
class NameTaken : public std::runtime_error {
public:
    explicit NameTaken(const std::string& name)
        : std::runtime_error("D-Bus name " + name + " is already owned by another process") {}
};

struct ItemOptions {
    Formatter text;             // GetText() of a valid value; format::plain when empty
    bool writable = false;      // SetValue allowed
    char type = 0;              // type SetValue accepts ('i', 'd', 's'); 0: the initial value's type
    std::function<bool(const Value&)> validate;   // false: SetValue returns 2
    std::function<void(const Value&)> on_change;  // after SetValue accepted a new value
    std::string description;    // GetDescription()
};

class Service {
public:
    // SetValue results.
    static constexpr std::int32_t kAccepted = 0;
    static constexpr std::int32_t kNotAllowed = 1;
    static constexpr std::int32_t kRefused = 2;

    // Connects (throws BusError) and exports "/"; the name is requested by claim().
    Service(loop::EventLoop& loop, std::string name);
    ~Service();
    Service(const Service&) = delete;
    Service& operator=(const Service&) = delete;

    // Requests the name with DBUS_NAME_FLAG_DO_NOT_QUEUE; throws NameTaken or BusError.
    void claim();
    const std::string& name() const { return name_; }
    Bus& bus() { return *bus_; }

    // Adds (or replaces) an item; path must start with '/' and name a leaf.
    void add(const std::string& path, Value initial, ItemOptions options = {});
    void add(const std::string& path, Value initial, Formatter text);
    void remove(const std::string& path);
    bool has(const std::string& path) const { return items_.count(path) != 0; }
    // Current value / text of an item; throws std::out_of_range for an unknown path.
    const Value& value(const std::string& path) const;
    std::string text(const std::string& path) const;
    std::vector<std::string> paths() const;

    // Records a new value; sent by the next flush() if it differs from the last one sent.
    // Throws std::out_of_range for an unknown path.
    void set(const std::string& path, Value value);
    // Emits the batched changes (nothing when nothing changed).
    void flush();

private:
    struct Item {
        Value value;
        Value sent;
        bool fresh = true;  // added since the last flush
        ItemOptions options;
    };

    static DBusHandlerResult on_message(DBusConnection* connection, DBusMessage* message, void* data);
    DBusHandlerResult handle(DBusMessage* message);
    void reply_item(DBusMessage* message, const std::string& member, const std::string& path, Item& item);
    void reply_node(DBusMessage* message, const std::string& member, const std::string& path);
    std::int32_t set_from_bus(Item& item, DBusMessage* message);
    std::string text_of(const Item& item) const;
    std::string introspect(const std::string& path) const;
    bool is_node(const std::string& path) const;
    void send_reply(DBusMessage* reply);

    std::string name_;
    std::unique_ptr<Bus> bus_;
    std::map<std::string, Item> items_;
    std::vector<std::string> removed_;
};

}  // namespace venus
