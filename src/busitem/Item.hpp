// busitem/Item: one exported leaf of a Service (e.g. /Ac/Power): how it is shown and written
// (ItemOptions), what the Service keeps of it (ItemState), and the handle a driver updates it
// through (Item).
//
// Service::add() returns the handle; a driver keeps it and sets values through it, so an item's
// path is written once, where the item is declared, and a sample costs no path look-up. A
// handle stays valid until its item is removed (Service::remove resets it) or its Service is
// destroyed; a default-constructed handle names no item. set() only records the value and, when
// it differs from the current one, lists the item (once) in its Service's list of changes: the
// Service's next flush_batch() or flush() looks at the listed items only and sends those whose
// value differs from the one last sent.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "busitem/Value.hpp"

namespace busitem {

struct ItemOptions {
    Formatter text;             // GetText() of a valid value; format::plain when empty
    bool writable = false;      // SetValue allowed
    char type = 0;              // type SetValue accepts ('i', 'd', 's'); 0: the initial value's type
    std::function<bool(const Value&)> validate;   // false: SetValue returns 2
    std::function<void(const Value&)> on_change;  // after SetValue accepted a new value
    // After every accepted SetValue, a new value or the same again (a controller that repeats a
    // setpoint to keep it alive); may set the item to what it should show instead.
    std::function<void(const Value&)> on_write;
    std::string description;    // GetDescription()
};

struct ItemState;
// The items of a Service that may have changed since its last flush, each listed once.
using ChangeList = std::vector<ItemState*>;

// An item as its Service keeps it.
struct ItemState {
    Value value;
    Value sent;          // the value of the last change signal
    bool fresh = true;   // added after claim() and not signalled yet
    ItemOptions options;
    const std::string* path = nullptr;  // its key in the Service's map of items
    ChangeList* changes = nullptr;      // the Service's list of changes
    bool listed = false;                // in *changes
    std::size_t rank = 0;               // its place in path order (Service::collect_changes)

    // Records a new value; lists the item when it differs from the current one. True then.
    bool set(Value next) {
        const bool differs = next != value;
        value = std::move(next);
        if (differs) list();
        return differs;
    }
    // Puts the item in its Service's list of changes unless it is there already.
    void list() {
        if (listed) return;
        changes->push_back(this);
        listed = true;
    }
};

// The GetText() string of an item: "---" when invalid, else its formatter's text.
std::string text_of(const ItemState& item);

class Item {
public:
    Item() = default;

    explicit operator bool() const { return entry_ != nullptr; }
    const std::string& path() const { return entry().first; }
    const Value& value() const { return entry().second.value; }
    std::string text() const { return text_of(entry().second); }
    // Records a new value; sent by the Service's next flush if it differs from the last one sent.
    void set(Value value) { entry().second.set(std::move(value)); }

private:
    friend class Service;
    using Entry = std::pair<const std::string, ItemState>;
    explicit Item(Entry& entry) : entry_(&entry) {}
    // Throws std::logic_error for a handle that names no item.
    Entry& entry() const {
        if (entry_ == nullptr) throw_empty();
        return *entry_;
    }
    [[noreturn]] static void throw_empty();

    Entry* entry_ = nullptr;
};

}  // namespace busitem
