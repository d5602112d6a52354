// busitem/Item: the text of an item and the error of an empty handle.
#include "busitem/Item.hpp"

#include <stdexcept>

namespace busitem {

std::string text_of(const ItemState& item) {
    if (!is_valid(item.value)) return kInvalidText;
    return item.options.text ? item.options.text(item.value) : format::plain(item.value);
}

void Item::throw_empty() { throw std::logic_error("busitem::Item: the handle names no item"); }

}  // namespace busitem
