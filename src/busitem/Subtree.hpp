// busitem/Subtree: the items below a node of a Service's tree (a map sorted by path).
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "busitem/Item.hpp"

namespace busitem {

// "/" -> "/", "/Ac" -> "/Ac/": the prefix of everything below a node.
inline std::string child_prefix(const std::string& path) { return path == "/" ? "/" : path + "/"; }

// Calls visit(relative path, item) for each item below the node path, in path order.
template <typename Visit>
void for_each_below(const std::map<std::string, ItemState>& items, const std::string& path, Visit visit) {
    const std::string prefix = child_prefix(path);
    for (auto it = items.lower_bound(prefix); it != items.end() && it->first.compare(0, prefix.size(), prefix) == 0;
         ++it) {
        visit(std::string_view(it->first).substr(prefix.size()), it->second);
    }
}

// True when some item lies below the node path.
inline bool has_below(const std::map<std::string, ItemState>& items, const std::string& path) {
    const std::string prefix = child_prefix(path);
    auto found = items.lower_bound(prefix);
    return found != items.end() && found->first.compare(0, prefix.size(), prefix) == 0;
}

}  // namespace busitem
