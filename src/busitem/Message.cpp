// busitem/Message: appending and reading busitem::Value in D-Bus messages.
#include "busitem/Message.hpp"

#include "util/Utf8.hpp"

#include <cstdint>
#include <limits>

namespace busitem {

namespace {

// Plain ASCII without NUL: valid UTF-8 (every path and number text), checked in one pass.
bool plain_ascii(const std::string& text) {
    for (unsigned char c : text) {
        if (c == 0 || c >= 0x80) return false;
    }
    return true;
}

// Appends a string known to be valid UTF-8 (a constant of this file).
void append_constant(DBusMessageIter* iter, const char* text) {
    dbus_message_iter_append_basic(iter, DBUS_TYPE_STRING, &text);
}

}  // namespace

void append_string(DBusMessageIter* iter, const std::string& text) {
    // libdbus aborts the process on a string that is not valid UTF-8: text from the gateway
    // (a serial, a firmware version) is made valid here, at the one place strings enter it.
    const char* raw = text.c_str();
    if (plain_ascii(text) || (text.find('\0') == std::string::npos && dbus_validate_utf8(raw, nullptr))) {
        dbus_message_iter_append_basic(iter, DBUS_TYPE_STRING, &raw);
        return;
    }
    const std::string valid = util::valid_utf8(text);
    raw = valid.c_str();
    dbus_message_iter_append_basic(iter, DBUS_TYPE_STRING, &raw);
}

void append_variant(DBusMessageIter* iter, const Value& value) {
    DBusMessageIter inner;
    if (const auto* i = std::get_if<std::int32_t>(&value)) {
        dbus_message_iter_open_container(iter, DBUS_TYPE_VARIANT, DBUS_TYPE_INT32_AS_STRING, &inner);
        dbus_int32_t raw = *i;
        dbus_message_iter_append_basic(&inner, DBUS_TYPE_INT32, &raw);
    } else if (const auto* d = std::get_if<double>(&value)) {
        dbus_message_iter_open_container(iter, DBUS_TYPE_VARIANT, DBUS_TYPE_DOUBLE_AS_STRING, &inner);
        double raw = *d;
        dbus_message_iter_append_basic(&inner, DBUS_TYPE_DOUBLE, &raw);
    } else if (const auto* s = std::get_if<std::string>(&value)) {
        dbus_message_iter_open_container(iter, DBUS_TYPE_VARIANT, DBUS_TYPE_STRING_AS_STRING, &inner);
        append_string(&inner, *s);
    } else {
        dbus_message_iter_open_container(iter, DBUS_TYPE_VARIANT, "ai", &inner);
        DBusMessageIter array;
        dbus_message_iter_open_container(&inner, DBUS_TYPE_ARRAY, DBUS_TYPE_INT32_AS_STRING, &array);
        dbus_message_iter_close_container(&inner, &array);
    }
    dbus_message_iter_close_container(iter, &inner);
}

void append_value_text(DBusMessageIter* iter, const Value& value, const std::string& text) {
    DBusMessageIter dict;
    dbus_message_iter_open_container(iter, DBUS_TYPE_ARRAY, "{sv}", &dict);
    DBusMessageIter entry;
    dbus_message_iter_open_container(&dict, DBUS_TYPE_DICT_ENTRY, nullptr, &entry);
    append_constant(&entry, "Value");
    append_variant(&entry, value);
    dbus_message_iter_close_container(&dict, &entry);
    dbus_message_iter_open_container(&dict, DBUS_TYPE_DICT_ENTRY, nullptr, &entry);
    append_constant(&entry, "Text");
    DBusMessageIter variant;
    dbus_message_iter_open_container(&entry, DBUS_TYPE_VARIANT, DBUS_TYPE_STRING_AS_STRING, &variant);
    append_string(&variant, text);
    dbus_message_iter_close_container(&entry, &variant);
    dbus_message_iter_close_container(&dict, &entry);
    dbus_message_iter_close_container(iter, &dict);
}

namespace {

// The basic value (or empty array) inner points at, when it is one read_variant() accepts.
std::optional<Value> read_plain(DBusMessageIter* inner) {
    std::int64_t number = 0;
    switch (dbus_message_iter_get_arg_type(inner)) {
        case DBUS_TYPE_DOUBLE: {
            double raw = 0;
            dbus_message_iter_get_basic(inner, &raw);
            return Value(raw);
        }
        case DBUS_TYPE_STRING: {
            const char* raw = nullptr;
            dbus_message_iter_get_basic(inner, &raw);
            return Value(std::string(raw));
        }
        case DBUS_TYPE_ARRAY: {
            DBusMessageIter items;
            dbus_message_iter_recurse(inner, &items);
            if (dbus_message_iter_get_arg_type(&items) == DBUS_TYPE_INVALID) return Value();
            return std::nullopt;
        }
        case DBUS_TYPE_BYTE: {
            unsigned char raw = 0;
            dbus_message_iter_get_basic(inner, &raw);
            number = raw;
            break;
        }
        case DBUS_TYPE_BOOLEAN: {
            dbus_bool_t raw = 0;
            dbus_message_iter_get_basic(inner, &raw);
            number = raw ? 1 : 0;
            break;
        }
        case DBUS_TYPE_INT16: {
            dbus_int16_t raw = 0;
            dbus_message_iter_get_basic(inner, &raw);
            number = raw;
            break;
        }
        case DBUS_TYPE_UINT16: {
            dbus_uint16_t raw = 0;
            dbus_message_iter_get_basic(inner, &raw);
            number = raw;
            break;
        }
        case DBUS_TYPE_INT32: {
            dbus_int32_t raw = 0;
            dbus_message_iter_get_basic(inner, &raw);
            number = raw;
            break;
        }
        case DBUS_TYPE_UINT32: {
            dbus_uint32_t raw = 0;
            dbus_message_iter_get_basic(inner, &raw);
            number = raw;
            break;
        }
        case DBUS_TYPE_INT64: {
            dbus_int64_t raw = 0;
            dbus_message_iter_get_basic(inner, &raw);
            number = raw;
            break;
        }
        case DBUS_TYPE_UINT64: {
            dbus_uint64_t raw = 0;
            dbus_message_iter_get_basic(inner, &raw);
            if (raw > static_cast<dbus_uint64_t>(std::numeric_limits<std::int32_t>::max())) return std::nullopt;
            number = static_cast<std::int64_t>(raw);
            break;
        }
        default:
            return std::nullopt;
    }
    if (number < std::numeric_limits<std::int32_t>::min() || number > std::numeric_limits<std::int32_t>::max()) {
        return std::nullopt;
    }
    return Value(static_cast<std::int32_t>(number));
}

}  // namespace

std::optional<Value> read_variant(DBusMessageIter* iter) {
    if (dbus_message_iter_get_arg_type(iter) != DBUS_TYPE_VARIANT) return std::nullopt;
    DBusMessageIter inner;
    dbus_message_iter_recurse(iter, &inner);
    return read_plain(&inner);
}

std::optional<Value> read_argument(DBusMessageIter* iter) {
    if (dbus_message_iter_get_arg_type(iter) == DBUS_TYPE_VARIANT) return read_variant(iter);
    return read_plain(iter);
}

}  // namespace busitem
