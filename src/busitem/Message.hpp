// busitem/Message: the BusItem interface name and small helpers to build and read libdbus
// messages with busitem::Value.
#pragma once

#include <dbus/dbus.h>

#include <memory>
#include <optional>
#include <string>

#include "busitem/Value.hpp"

namespace busitem {

// The interface of every Venus OS item (this library's services and com.victronenergy.settings).
inline constexpr const char* kBusItemInterface = "com.victronenergy.BusItem";

struct MessageUnref {
    void operator()(DBusMessage* message) const { dbus_message_unref(message); }
};
// Owns one reference to a message.
using MessagePtr = std::unique_ptr<DBusMessage, MessageUnref>;

// Appends a variant holding value; an invalid value becomes an empty int32 array (`ai`).
void append_variant(DBusMessageIter* iter, const Value& value);
// Appends {"Value": v, "Text": s} as a{sv}.
void append_value_text(DBusMessageIter* iter, const Value& value, const std::string& text);
// Appends a basic string, made valid UTF-8 first (util::valid_utf8) where it is not: libdbus
// aborts the process on anything else.
void append_string(DBusMessageIter* iter, const std::string& text);

// Reads the variant iter points at. Integer types that fit int32 become int32, doubles stay
// doubles, strings stay strings, an empty array is invalid; anything else gives nullopt.
std::optional<Value> read_variant(DBusMessageIter* iter);
// Reads an argument that is either such a variant or one of those types bare: SetValue from
// velib_python's VeDbusItemImport (a proxy made without introspection) sends `i`, `d` or `s`
// where other clients send `v`.
std::optional<Value> read_argument(DBusMessageIter* iter);

}  // namespace busitem
