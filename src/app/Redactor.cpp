// app: Redactor implementation.
#include "app/Redactor.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <regex>

#include <nlohmann/json.hpp>

namespace app {
namespace {

constexpr std::size_t kMinSerialLength = 6;  // shorter values are not serials (and too common to replace)
constexpr const char* kSerialKeys[] = {"serial_num", "serialNumber", "serial", "sn"};
constexpr const char* kRedacted = "REDACTED";
constexpr int kMaxDepth = 64;

bool word_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; }

bool all_digits(const std::string& s) {
    return std::all_of(s.begin(), s.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; });
}

void collect_serials(const nlohmann::json& value, std::vector<std::string>& out, int depth = 0) {
    if (depth > kMaxDepth) return;  // no gateway answer nests this deep; the stack must not suffer
    if (value.is_object()) {
        for (const auto& [key, child] : value.items()) {
            const bool serial_key = std::any_of(std::begin(kSerialKeys), std::end(kSerialKeys),
                                                [&key = key](const char* name) { return key == name; });
            if (serial_key && child.is_string()) out.push_back(child.get<std::string>());
            if (serial_key && child.is_number_unsigned()) out.push_back(std::to_string(child.get<std::uint64_t>()));
            collect_serials(child, out, depth + 1);
        }
    } else if (value.is_array()) {
        for (const auto& child : value) collect_serials(child, out, depth + 1);
    }
}

// Replaces every occurrence of what (not inside a longer word) by with.
std::string replace_words(const std::string& text, const std::string& what, const std::string& with) {
    std::string out;
    out.reserve(text.size());
    std::size_t from = 0;
    for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) {
        const bool starts = at == 0 || !word_char(text[at - 1]);
        const std::size_t end = at + what.size();
        const bool ends = end == text.size() || !word_char(text[end]);
        if (!starts || !ends || at < from) continue;
        out.append(text, from, at - from).append(with);
        from = end;
    }
    out.append(text, from, std::string::npos);
    return out;
}

std::string replace_all(std::string text, const std::string& what, const std::string& with) {
    if (what.empty()) return text;
    for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + with.size())) {
        text.replace(at, what.size(), with);
    }
    return text;
}

// "9000…0n" for a serial of digits, "SERIAL0…0n" otherwise, of the serial's length where it fits.
std::string fake_serial(const std::string& serial, std::size_t n) {
    const bool digits = all_digits(serial);
    std::string fake = (digits ? "9" : "SERIAL") + std::to_string(n);
    const std::size_t prefix = digits ? 1 : 6;
    if (fake.size() < serial.size()) fake.insert(prefix, serial.size() - fake.size(), '0');
    return fake;
}

std::string fake_email(std::size_t n) { return "user" + std::to_string(n) + "@example.com"; }
std::string fake_ipv4(std::size_t n) { return "192.0.2." + std::to_string(n % 254 + 1); }
std::string fake_ipv6(std::size_t n) {
    char text[32];
    std::snprintf(text, sizeof text, "2001:db8::%zx", n + 1);
    return text;
}
std::string fake_mac(std::size_t n) {
    char text[32];
    std::snprintf(text, sizeof text, "02:00:00:00:%02zx:%02zx", (n + 1) / 256 % 256, (n + 1) % 256);
    return text;
}

// Whether a dotted quad is private to the gateway (loopback, unspecified, link-local) or a mask.
bool harmless_ipv4(const std::string& ip) {
    return ip.rfind("127.", 0) == 0 || ip == "0.0.0.0" || ip.rfind("169.254.", 0) == 0 || ip.rfind("255.", 0) == 0;
}

template <class Replace>
std::string replace_matches(const std::string& text, const std::regex& pattern, Replace replace) {
    std::string out;
    auto last = text.cbegin();
    for (std::sregex_iterator it(text.begin(), text.end(), pattern), end; it != end; ++it) {
        out.append(last, (*it)[0].first);
        out += replace((*it)[0].str());
        last = (*it)[0].second;
    }
    out.append(last, text.cend());
    return out;
}

// Applies replace to every word of text: a run of characters between quotes, white space and
// JSON or XML punctuation. A word longer than kMaxWord is no token, address or e-mail: kept.
template <class Replace>
std::string replace_words_by(const std::string& text, Replace replace) {
    constexpr std::size_t kMaxWord = 4096;
    constexpr std::string_view kDelimiters = " \t\r\n\"',;()[]{}<>";
    std::string out;
    out.reserve(text.size());
    std::size_t at = 0;
    while (at < text.size()) {
        const std::size_t end = std::min(text.find_first_of(kDelimiters, at), text.size());
        if (end > at) {
            const std::string word = text.substr(at, end - at);
            out += word.size() <= kMaxWord ? replace(word) : word;
        }
        if (end < text.size()) out += text[end];
        at = end + 1;
    }
    return out;
}

}  // namespace

Redactor::Redactor(std::vector<std::string> secrets) : secrets_(std::move(secrets)) {
    secrets_.erase(std::remove(secrets_.begin(), secrets_.end(), std::string()), secrets_.end());
    std::sort(secrets_.begin(), secrets_.end(), [](const auto& a, const auto& b) { return a.size() > b.size(); });
}

void Redactor::add_serial(std::string serial) {
    if (serial.size() < kMinSerialLength) return;
    if (!std::all_of(serial.begin(), serial.end(), word_char)) return;
    if (std::find(serials_.begin(), serials_.end(), serial) != serials_.end()) return;
    serials_.push_back(std::move(serial));
    std::stable_sort(serials_.begin(), serials_.end(), [](const auto& a, const auto& b) { return a.size() > b.size(); });
}

void Redactor::learn(std::string_view body) {
    static const std::regex info_serial(R"(<sn>\s*([^<\s]+)\s*</sn>)");
    const std::string text(body);
    for (std::sregex_iterator it(text.begin(), text.end(), info_serial), end; it != end; ++it) add_serial((*it)[1].str());
    const auto json = nlohmann::json::parse(text, nullptr, false);
    if (json.is_discarded()) return;
    std::vector<std::string> found;
    collect_serials(json, found);
    for (auto& serial : found) add_serial(std::move(serial));
}

std::string Redactor::fake_for(std::map<std::string, std::string>& table, const std::string& original,
                               std::string (*make)(std::size_t index)) {
    auto it = table.find(original);
    if (it != table.end()) return it->second;
    return table.emplace(original, make(table.size())).first->second;
}

std::string Redactor::replace_serials(std::string text) const {
    for (const auto& serial : serials_) text = replace_words(text, serial, serial_fakes_.at(serial));
    return text;
}

std::string Redactor::redact(std::string_view input) {
    static const std::regex jwt(R"(eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*)");
    static const std::regex email(R"([A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+)");
    static const std::regex mac(R"(\b[0-9A-Fa-f]{2}([:-])[0-9A-Fa-f]{2}(\1[0-9A-Fa-f]{2}){4}\b)");
    static const std::regex ipv6(R"(\b(?:[0-9A-Fa-f]{1,4}:){1,7}:(?:[0-9A-Fa-f]{1,4}(?::[0-9A-Fa-f]{1,4})*)?|\b(?:[0-9A-Fa-f]{1,4}:){7}[0-9A-Fa-f]{1,4}\b)");
    static const std::regex ipv4(R"(\b(?:(?:25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])\.){3}(?:25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])\b)");

    std::string text(input);
    for (const auto& secret : secrets_) text = replace_all(std::move(text), secret, kRedacted);
    for (const auto& serial : serials_) {
        if (serial_fakes_.count(serial) == 0) serial_fakes_.emplace(serial, fake_serial(serial, serial_fakes_.size() + 1));
    }
    text = replace_serials(std::move(text));
    // The patterns run word by word (std::regex recurses per character: a gateway's megabyte of
    // letters must not exhaust the stack); no token, address or e-mail spans a quote or a space.
    return replace_words_by(text, [this](const std::string& word) {
        std::string out = std::regex_replace(word, jwt, kRedacted);
        out = replace_matches(out, email, [this](const std::string& m) { return fake_for(emails_, m, fake_email); });
        out = replace_matches(out, mac, [this](const std::string& m) { return fake_for(macs_, m, fake_mac); });
        out = replace_matches(out, ipv6, [this](const std::string& m) { return fake_for(ipv6_, m, fake_ipv6); });
        return replace_matches(out, ipv4, [this](const std::string& m) {
            return harmless_ipv4(m) ? m : fake_for(ipv4_, m, fake_ipv4);
        });
    });
}

}  // namespace app
