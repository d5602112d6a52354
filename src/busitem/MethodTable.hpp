// busitem/MethodTable: which handler answers a method call, as a table of (interface, member,
// kind of object) rows instead of a chain of comparisons.
//
// A row serves its member on the kinds of object in `where` (a set of ObjectKind bits). A call
// without an interface (D-Bus allows that) matches the first row with its member.
#pragma once

#include <cstddef>
#include <string_view>

namespace busitem {

// The kinds of object a Service exports; a path is an item, or a node (the root is both a node
// and the root).
enum ObjectKind : unsigned {
    kOnItem = 1u << 0,
    kOnNode = 1u << 1,
    kOnRoot = 1u << 2,
};

template <typename Handler>
struct MethodRow {
    std::string_view interface;
    std::string_view member;
    unsigned where;  // ObjectKind bits
    Handler handler;
};

// The row serving member of interface ("" for none) on an object of kind (ObjectKind bits),
// or nullptr.
template <typename Handler, std::size_t N>
const MethodRow<Handler>* find_method(const MethodRow<Handler> (&table)[N], std::string_view interface,
                                      std::string_view member, unsigned kind) {
    for (const auto& row : table) {
        if ((row.where & kind) != 0 && row.member == member && (interface.empty() || row.interface == interface)) {
            return &row;
        }
    }
    return nullptr;
}

}  // namespace busitem
