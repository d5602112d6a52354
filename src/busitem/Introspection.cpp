// busitem/Introspection: the org.freedesktop.DBus.Introspectable XML of a Service's items and
// nodes (the BusItem methods each kind of object answers, and its children).
#include <set>

#include "busitem/Service.hpp"
#include "busitem/Subtree.hpp"

namespace busitem {

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

}  // namespace

std::string Service::introspection(const std::string& path) const {
    std::string xml = kIntrospectHeader;
    if (items_.count(path) != 0) {
        xml += kItemInterfaceXml;
    } else {
        xml += kNodeInterfaceXml;
        if (path == "/") xml += kRootExtraXml;
        xml += " </interface>\n";
    }
    std::set<std::string, std::less<>> children;
    for_each_below(items_, path, [&children](std::string_view rest, const ItemState&) {
        children.emplace(rest.substr(0, rest.find('/')));
    });
    for (const auto& child : children) xml += " <node name=\"" + child + "\"/>\n";
    xml += "</node>\n";
    return xml;
}

}  // namespace busitem
