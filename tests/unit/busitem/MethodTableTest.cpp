// Unit tests of busitem/MethodTable: which row answers a call, by interface, member and the kind
// of object it is addressed to.
#include <gtest/gtest.h>

#include "busitem/MethodTable.hpp"

using namespace busitem;

namespace {

constexpr MethodRow<int> kTable[] = {
    {"org.freedesktop.DBus.Introspectable", "Introspect", kOnItem | kOnNode | kOnRoot, 1},
    {"com.victronenergy.BusItem", "GetValue", kOnItem, 2},
    {"com.victronenergy.BusItem", "GetValue", kOnNode, 3},
    {"com.victronenergy.BusItem", "GetItems", kOnRoot, 4},
};

int handler_of(std::string_view interface, std::string_view member, unsigned kind) {
    const auto* row = find_method(kTable, interface, member, kind);
    return row != nullptr ? row->handler : 0;
}

}  // namespace

TEST(BusItemMethodTable, TheKindOfObjectChoosesTheRow) {
    EXPECT_EQ(handler_of("com.victronenergy.BusItem", "GetValue", kOnItem), 2);
    EXPECT_EQ(handler_of("com.victronenergy.BusItem", "GetValue", kOnNode), 3);
    EXPECT_EQ(handler_of("com.victronenergy.BusItem", "GetValue", kOnNode | kOnRoot), 3);
    EXPECT_EQ(handler_of("com.victronenergy.BusItem", "GetItems", kOnNode | kOnRoot), 4);
    EXPECT_EQ(handler_of("com.victronenergy.BusItem", "GetItems", kOnNode), 0);
    EXPECT_EQ(handler_of("com.victronenergy.BusItem", "GetItems", kOnItem), 0);
}

TEST(BusItemMethodTable, ACallWithoutInterfaceMatchesByMember) {
    EXPECT_EQ(handler_of("", "Introspect", kOnItem), 1);
    EXPECT_EQ(handler_of("", "GetValue", kOnItem), 2);
    EXPECT_EQ(handler_of("", "SetValue", kOnItem), 0);
}

TEST(BusItemMethodTable, AMemberOfAnotherInterfaceIsNotServed) {
    EXPECT_EQ(handler_of("com.victronenergy.BusItem", "Introspect", kOnItem), 0);
    EXPECT_EQ(handler_of("org.freedesktop.DBus.Introspectable", "GetValue", kOnItem), 0);
    EXPECT_EQ(handler_of("org.freedesktop.DBus.Properties", "Get", kOnItem), 0);
}
