// envoy/parsers: internal helpers that read JSON documents and fields tolerantly (not public API).
//
// Documents that are not JSON become ParseError naming the endpoint. Measurement fields that are
// missing, null or of the wrong type read as unknown; numbers sent as strings ("12.5") are
// accepted.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "model/Snapshot.hpp"

namespace envoy::parse::detail {

using Json = nlohmann::json;

// No gateway answer nests deeper than this; deeper documents are refused before parsing, so
// that nothing recursive (copying, comparing, dumping a value) can exhaust the stack.
inline constexpr std::size_t kMaxJsonDepth = 64;

// Parses a whole response body; throws ParseError "<endpoint>: ..." when it is not JSON
// (empty, truncated, an HTML error page, ...) or nests deeper than kMaxJsonDepth.
Json load(std::string_view endpoint, std::string_view text);
// Throws ParseError when body nests arrays and objects deeper than kMaxJsonDepth.
void check_depth(std::string_view endpoint, std::string_view body);

// For readers that parse without a document (nlohmann's SAX interface), the same checks and
// messages as load(): the body without surrounding white space, or ParseError when it is empty
// or HTML; and the error for a body the JSON parser rejected (at byte `byte`, 0 when unknown).
std::string_view json_body(std::string_view endpoint, std::string_view text);
[[noreturn]] void throw_invalid_json(std::string_view endpoint, std::size_t byte, std::size_t body_size);

// Throws ParseError "<endpoint>: expected an array" / "... an object" on the wrong shape.
void expect_array(std::string_view endpoint, const Json& value, std::string_view what = {});
void expect_object(std::string_view endpoint, const Json& value, std::string_view what = {});

// A finite number, or a string holding exactly one; anything else is unknown.
model::Value number(const Json& value);
model::Value number_text(std::string_view text);
model::Value number(const Json& object, const char* key);

// A whole number (also from a string or an integral float) within the int64 range.
std::optional<std::int64_t> integer(const Json& object, const char* key);
// A finite number rounded down, when it fits int64 (a float cast outside that range is undefined).
std::optional<std::int64_t> floor_int64(const std::optional<double>& value);

// A string field; numbers are rendered as text (e.g. a numeric serial), anything else is empty.
std::optional<std::string> text(const Json& object, const char* key);

// A boolean field: true/false, "true"/"false", or a number (non-zero is true).
std::optional<bool> boolean(const Json& object, const char* key);

}  // namespace envoy::parse::detail
