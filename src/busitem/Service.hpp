// busitem/Service: one well-known D-Bus name exporting a tree of com.victronenergy.BusItem items.
//
// Each Service has its own private connection (as velib_python does), so two services of one
// process never share object paths or signal senders. Items are leaves such as /Ac/Power,
// declared once with add(), which returns the Item handle their values are set through;
// intermediate nodes (/, /Ac, /Ac/L1) exist implicitly. Every object answers
// org.freedesktop.DBus.Introspectable; items answer GetValue, GetText, SetValue,
// GetDescription; nodes answer GetValue / GetText with their subtree (relative paths as keys;
// GetText gives a variant holding a{ss}), and "/" also answers GetItems. Which handler answers
// which call is one table (Methods.cpp).
//
// Change signals follow velib_python (vedbus.py), which Venus's consumers are written against:
// Item::set() only records a value, and one of two calls sends what differs from what was last
// sent (and the items added or removed since):
//  - flush_batch(), the end of a sample (velib's `with service as s:` block): ONE ItemsChanged
//    on "/" holding every changed item, no PropertiesChanged;
//  - flush(), a change made outside a sample (velib's `service[path] = value`, or a SetValue):
//    one PropertiesChanged per changed item, no ItemsChanged.
// Items declared before claim() are not signalled (a consumer reads them with GetItems when the
// name appears); items added later are sent by the next flush of either kind; a removed item is
// sent once more as invalid so that consumers drop its old value. A flush looks only at the items
// set to a new value (or added) since the last one, which the items list themselves
// (ItemState::set), and sends them in path order, as a walk of the whole tree would.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "busitem/Bus.hpp"
#include "busitem/Item.hpp"
#include "busitem/Message.hpp"
#include "busitem/MethodTable.hpp"
#include "busitem/Value.hpp"
#include "loop/EventLoop.hpp"

namespace busitem {

// The well-known name is owned by another process.
class NameTaken : public std::runtime_error {
public:
    explicit NameTaken(const std::string& name)
        : std::runtime_error("D-Bus name " + name + " is already owned by another process") {}
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

    // Adds (or replaces) an item and returns its handle; path must start with '/' and name a
    // leaf (throws std::invalid_argument).
    Item add(const std::string& path, Value initial, ItemOptions options = {});
    Item add(const std::string& path, Value initial, Formatter text);
    // Removes the item and empties the handle; an empty handle is ignored.
    void remove(Item& item);

    // Sends the changes of a sample as one ItemsChanged (nothing when nothing changed).
    void flush_batch();
    // Sends changes made outside a sample as one PropertiesChanged each.
    void flush();

private:
    using Items = std::map<std::string, ItemState>;
    // The object a method call is addressed to; item is null on nodes.
    struct Target {
        const std::string& path;
        ItemState* item;
    };
    using Handler = void (Service::*)(DBusMessage* call, const Target& target);
    static const MethodRow<Handler> kMethods[];

    static DBusHandlerResult on_message(DBusConnection* connection, DBusMessage* message, void* data);
    DBusHandlerResult handle(DBusMessage* message);
    void introspect(DBusMessage* call, const Target& target);
    void get_item_value(DBusMessage* call, const Target& target);
    void get_item_text(DBusMessage* call, const Target& target);
    void set_item_value(DBusMessage* call, const Target& target);
    void get_item_description(DBusMessage* call, const Target& target);
    void get_node_values(DBusMessage* call, const Target& target);
    void get_node_texts(DBusMessage* call, const Target& target);
    void get_items(DBusMessage* call, const Target& target);
    void reply_subtree(DBusMessage* call, const std::string& path, bool texts);
    void reply_string(DBusMessage* call, const std::string& text);
    std::int32_t set_from_bus(ItemState& item, DBusMessage* call);
    std::string introspection(const std::string& path) const;
    void send_reply(DBusMessage* reply);
    // Collects the listed items whose value differs from the one sent (or that were never sent)
    // into changed_, in path order (their texts formatted once), marks them sent and empties the
    // list. Path order is each item's rank, numbered again after items were added (a removal
    // keeps the order of the others), so a sample compares no paths.
    void collect_changes();

    // A changed item as one flush sends it.
    struct Change {
        const std::string* path;
        const ItemState* item;
        std::string text;
    };

    std::string name_;
    std::unique_ptr<Bus> bus_;
    Items items_;
    ChangeList changes_;           // the items set to a new value or added since the last flush
    bool ranks_stale_ = true;      // an item was added since the ranks were numbered
    std::vector<std::string> removed_;
    std::vector<Change> changed_;  // reused by every flush: no allocation per sample
    // An empty ItemsChanged on "/", copied by every flush_batch(): libdbus writes the header once.
    MessagePtr items_changed_;
};

}  // namespace busitem
