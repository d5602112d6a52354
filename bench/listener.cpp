// bench: ee-bench-listener — a raw libdbus client that timestamps (steady_clock, the same
// CLOCK_MONOTONIC as envoy-sim --log-samples) every change of one item of one service as Venus's
// consumers (velib's DbusMonitor, veutil) follow it: the item's entry in the service's
// ItemsChanged on "/" (a sample) or its own PropertiesChanged (a change outside a sample), so
// bench/run.sh can measure the latency from the gateway to D-Bus consumers.
//
// Usage: ee-bench-listener SERVICE PATH   (bus: DBUS_SESSION_BUS_ADDRESS)
// Prints "ready" once the match rule is in place, then one line per signal:
//   "signal t_ns=<steady ns> v=<value>"   (v=invalid for an invalid value)
#include <dbus/dbus.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <optional>
#include <string>

namespace {

constexpr const char* kInterface = "com.victronenergy.BusItem";

long long now_ns() {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

// A numeric variant as a double; nullopt for the invalid value (an empty array) or another type.
std::optional<double> number(DBusMessageIter* variant) {
    DBusMessageIter inner;
    dbus_message_iter_recurse(variant, &inner);
    switch (dbus_message_iter_get_arg_type(&inner)) {
        case DBUS_TYPE_DOUBLE: {
            double d = 0;
            dbus_message_iter_get_basic(&inner, &d);
            return d;
        }
        case DBUS_TYPE_INT32: {
            dbus_int32_t i = 0;
            dbus_message_iter_get_basic(&inner, &i);
            return static_cast<double>(i);
        }
        default: return std::nullopt;
    }
}

// The "Value" entry of the a{sv} (one item's change) args points at; false when it has none.
bool changed_value(DBusMessageIter* args, std::optional<double>& value) {
    if (dbus_message_iter_get_arg_type(args) != DBUS_TYPE_ARRAY) return false;
    DBusMessageIter entries;
    dbus_message_iter_recurse(args, &entries);
    while (dbus_message_iter_get_arg_type(&entries) == DBUS_TYPE_DICT_ENTRY) {
        DBusMessageIter entry;
        dbus_message_iter_recurse(&entries, &entry);
        const char* key = nullptr;
        if (dbus_message_iter_get_arg_type(&entry) == DBUS_TYPE_STRING) {
            dbus_message_iter_get_basic(&entry, &key);
            if (std::strcmp(key, "Value") == 0 && dbus_message_iter_next(&entry) &&
                dbus_message_iter_get_arg_type(&entry) == DBUS_TYPE_VARIANT) {
                value = number(&entry);
                return true;
            }
        }
        dbus_message_iter_next(&entries);
    }
    return false;
}

// The value of path in a change signal: a PropertiesChanged of path itself, or path's entry in
// an ItemsChanged (a{sa{sv}}) on "/"; false when the signal does not carry it.
bool item_value(DBusMessage* message, const std::string& path, std::optional<double>& value) {
    const char* raw_path = dbus_message_get_path(message);
    const std::string signal_path = raw_path != nullptr ? raw_path : "";
    DBusMessageIter args;
    if (!dbus_message_iter_init(message, &args)) return false;
    if (dbus_message_is_signal(message, kInterface, "PropertiesChanged")) {
        return signal_path == path && changed_value(&args, value);
    }
    if (!dbus_message_is_signal(message, kInterface, "ItemsChanged") || signal_path != "/" ||
        dbus_message_iter_get_arg_type(&args) != DBUS_TYPE_ARRAY) {
        return false;
    }
    DBusMessageIter items;
    dbus_message_iter_recurse(&args, &items);
    while (dbus_message_iter_get_arg_type(&items) == DBUS_TYPE_DICT_ENTRY) {
        DBusMessageIter item;
        dbus_message_iter_recurse(&items, &item);
        const char* key = nullptr;
        if (dbus_message_iter_get_arg_type(&item) == DBUS_TYPE_STRING) {
            dbus_message_iter_get_basic(&item, &key);
            if (path == key && dbus_message_iter_next(&item)) return changed_value(&item, value);
        }
        dbus_message_iter_next(&items);
    }
    return false;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 3) {
        std::fprintf(stderr, "usage: %s SERVICE PATH\n", argv[0]);
        return 2;
    }
    const std::string service = argv[1];
    const std::string path = argv[2];

    DBusError error;
    dbus_error_init(&error);
    DBusConnection* connection = dbus_bus_get_private(DBUS_BUS_SESSION, &error);
    if (!connection) {
        std::fprintf(stderr, "ee-bench-listener: cannot connect to the session bus: %s\n", error.message);
        return 1;
    }
    dbus_connection_set_exit_on_disconnect(connection, FALSE);
    // sender= with a well-known name matches whichever connection owns it when the signal is sent.
    const std::string sender = "type='signal',sender='" + service + "',interface='" + kInterface + "',";
    for (const std::string& rule : {sender + "member='ItemsChanged',path='/'",
                                   sender + "member='PropertiesChanged',path='" + path + "'"}) {
        dbus_bus_add_match(connection, rule.c_str(), &error);
        if (dbus_error_is_set(&error)) {
            std::fprintf(stderr, "ee-bench-listener: AddMatch failed: %s\n", error.message);
            return 1;
        }
    }
    std::printf("ready\n");
    std::fflush(stdout);

    while (dbus_connection_read_write(connection, -1)) {
        while (DBusMessage* message = dbus_connection_pop_message(connection)) {
            const long long t = now_ns();
            std::optional<double> value;
            if (item_value(message, path, value)) {
                if (value) {
                    std::printf("signal t_ns=%lld v=%.6f\n", t, *value);
                } else {
                    std::printf("signal t_ns=%lld v=invalid\n", t);
                }
                std::fflush(stdout);
            }
            dbus_message_unref(message);
        }
    }
    std::fprintf(stderr, "ee-bench-listener: the bus connection closed\n");
    dbus_connection_close(connection);
    dbus_connection_unref(connection);
    return 0;
}
