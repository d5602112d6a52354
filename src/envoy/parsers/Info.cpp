// envoy/parsers: tolerant tag extraction for the small, flat /info XML document.
#include "envoy/parsers/Info.hpp"

#include <cctype>
#include <optional>
#include <string>

#include "envoy/parsers/ParseError.hpp"
#include "util/Text.hpp"

namespace envoy::parse {
namespace {

constexpr std::string_view kEndpoint = "/info";

// Position just after the opening tag <name> or <name attr...>; npos if absent.
std::size_t open_tag_end(std::string_view doc, std::string_view name, std::size_t from = 0) {
    const std::string open = "<" + std::string(name);
    for (auto pos = doc.find(open, from); pos != std::string_view::npos; pos = doc.find(open, pos + 1)) {
        const std::size_t after = pos + open.size();
        if (after >= doc.size()) return std::string_view::npos;
        const char c = doc[after];
        if (c != '>' && c != '/' && !std::isspace(static_cast<unsigned char>(c))) continue;
        const auto close = doc.find('>', after);
        if (close == std::string_view::npos) return std::string_view::npos;
        return close + 1;
    }
    return std::string_view::npos;
}

// The raw content of the first <name>...</name> in doc (nested elements included).
std::optional<std::string_view> element(std::string_view doc, std::string_view name) {
    const std::size_t start = open_tag_end(doc, name);
    if (start == std::string_view::npos) return std::nullopt;
    if (doc[start - 2] == '/') return std::string_view{};  // <name/>: no content
    const std::string close = "</" + std::string(name) + ">";
    const auto end = doc.find(close, start);
    if (end == std::string_view::npos) return std::nullopt;
    return doc.substr(start, end - start);
}

std::optional<std::string> value(std::string_view doc, std::string_view name) {
    const auto content = element(doc, name);
    if (!content) return std::nullopt;
    const std::string_view v = util::trim(*content);
    if (v.find('<') != std::string_view::npos) return std::nullopt;  // not a leaf
    return std::string(v);
}

std::optional<bool> flag(std::string_view doc, std::string_view name) {
    const auto v = value(doc, name);
    if (!v) return std::nullopt;
    if (*v == "true" || *v == "1") return true;
    if (*v == "false" || *v == "0") return false;
    return std::nullopt;
}

std::string required(std::string_view device, std::string_view name) {
    auto v = value(device, name);
    if (!v || v->empty()) {
        throw ParseError(std::string(kEndpoint) + ": <device> has no <" + std::string(name) + ">");
    }
    return *v;
}

}  // namespace

std::optional<int> firmware_major(std::string_view software) {
    std::size_t i = 0;
    while (i < software.size() && !std::isdigit(static_cast<unsigned char>(software[i]))) ++i;
    if (i == software.size()) return std::nullopt;
    int major = 0;
    for (int digits = 0; i < software.size() && std::isdigit(static_cast<unsigned char>(software[i])); ++i) {
        if (++digits > 6) return std::nullopt;
        major = major * 10 + (software[i] - '0');
    }
    return major;
}

namespace {

// Text of the gateway for a message: printable ASCII, other bytes as \xNN, at most 64 of them.
std::string printable(std::string_view text) {
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    for (std::size_t i = 0; i < text.size() && i < 64; ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c >= 0x20 && c < 0x7f) {
            out.push_back(static_cast<char>(c));
        } else {
            out.append("\\x").push_back(kHex[c >> 4]);
            out.push_back(kHex[c & 0xf]);
        }
    }
    if (text.size() > 64) out.append("...");
    return out;
}

}  // namespace

model::GatewayInfo info(std::string_view xml) {
    if (util::trim(xml).empty()) throw ParseError(std::string(kEndpoint) + ": empty response");
    const auto device = element(xml, "device");
    if (!device) throw ParseError(std::string(kEndpoint) + ": no <device> element (not the gateway's /info XML?)");

    model::GatewayInfo result;
    result.serial = required(*device, "sn");
    if (!model::valid_serial(result.serial)) {
        throw ParseError(std::string(kEndpoint) + ": the serial <sn>" + printable(result.serial) +
                         "</sn> is not 1 to 32 letters and digits (not an Enphase gateway?)");
    }
    result.firmware = required(*device, "software");
    result.part_number = value(*device, "pn").value_or("");
    result.metering_board = flag(*device, "imeter");
    result.web_tokens = flag(xml, "web-tokens").value_or(false);
    const auto major = firmware_major(result.firmware);
    if (!major) {
        throw ParseError(std::string(kEndpoint) + ": cannot read a version number from <software>" +
                         result.firmware + "</software>");
    }
    result.firmware_major = *major;
    return result;
}

}  // namespace envoy::parse
