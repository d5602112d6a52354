// tests/support/dbus: an independent, blocking D-Bus client in raw libdbus (it does not use
// the venus layer it tests). Values are decoded to nlohmann::json with their D-Bus signature.
#pragma once

#include <dbus/dbus.h>

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace dbustest {

// A variant's content: its signature ("i", "d", "s", "ai", "a{sv}", ...) and decoded value.
struct Typed {
    std::string type;
    nlohmann::json value;
};

struct ItemEntry {
    Typed value;
    std::string text;
};

struct Signal {
    std::string path;
    std::string member;
    nlohmann::json body;  // first argument, variants replaced by their content
    std::string signature;          // of the whole body
    std::vector<std::string> keys;  // the first argument's string keys as sent, when it is a dictionary
};

class BusClient {
public:
    explicit BusClient(const std::string& address);
    ~BusClient();
    BusClient(const BusClient&) = delete;
    BusClient& operator=(const BusClient&) = delete;

    // Each throws std::runtime_error("<error name>: <text>") on an error reply.
    std::map<std::string, ItemEntry> get_items(const std::string& service);
    Typed get_value(const std::string& service, const std::string& path);
    Typed get_text_variant(const std::string& service, const std::string& path);  // nodes: v
    std::string get_text(const std::string& service, const std::string& path);     // items: s
    int set_value(const std::string& service, const std::string& path, int value);
    int set_value(const std::string& service, const std::string& path, const std::string& value);
    std::string introspect(const std::string& service, const std::string& path);
    // The D-Bus error name of calling member on path, "" when it succeeded.
    std::string call_error(const std::string& service, const std::string& path, const std::string& member);

    // Receives the signals of service from now on.
    void subscribe(const std::string& service);
    // Makes a round trip to service (so every signal it sent before is here) and returns and
    // forgets the signals received so far.
    std::vector<Signal> take_signals(const std::string& service);

private:
    DBusMessage* call(DBusMessage* message);
    DBusMessage* method(const std::string& service, const std::string& path, const std::string& interface,
                        const std::string& member);
    void collect();

    DBusConnection* connection_ = nullptr;
    std::vector<Signal> signals_;
};

// Decodes what iter points at (containers recursively, variants to their content).
nlohmann::json decode(DBusMessageIter* iter);

}  // namespace dbustest
