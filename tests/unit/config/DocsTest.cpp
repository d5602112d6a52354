// Tests that docs/configuration.md follows the key table (config/Keys.hpp): each section's
// table lists exactly the table's keys, with the table's default, "Secret." exactly for the
// secret keys, the key's help as the start of its meaning and the range of numeric keys. The
// checks run on the file and on doctored copies of it, to show that they catch a mismatch.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <regex>
#include <sstream>
#include <vector>

#include "Process.hpp"
#include "config/Keys.hpp"

namespace {

const std::string kDocs = EE_SOURCE_DIR "/docs/configuration.md";

struct DocRow {
    std::string default_cell;
    std::string meaning;
};

// (section, key) -> its row, from the tables under the "## [SECTION]" headings.
std::map<std::pair<std::string, std::string>, DocRow> rows_in(const std::string& markdown) {
    std::map<std::pair<std::string, std::string>, DocRow> rows;
    const std::regex heading(R"(^## \[(\w+)\])"), other_heading(R"(^#)"), row(R"(^\| `(\w+)` \| (.*?) \| (.*) \|$)");
    std::istringstream lines(markdown);
    std::string line, section;
    std::smatch match;
    while (std::getline(lines, line)) {
        if (std::regex_search(line, match, heading)) section = match[1];
        else if (std::regex_search(line, other_heading)) section.clear();
        else if (!section.empty() && std::regex_match(line, match, row)) rows[{section, match[1]}] = {match[2], match[3]};
    }
    return rows;
}

// The default column as the docs write it: a relative path is next to config.ini.
std::string documented_default(const config::Key& key) {
    const std::string text = config::default_text(key);
    if (text.empty()) return key.required() ? "(required)" : "empty";
    if (std::holds_alternative<config::rule::Path>(key.rule) && !std::filesystem::path(text).is_absolute())
        return text == "." ? "the folder of `config.ini`" : "`" + text + "` next to `config.ini`";
    return "`" + text + "`";
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// What the meaning says about the range of a numeric key, when it does not say it.
std::string range_problem(const config::Key& key, const std::string& meaning) {
    if (const auto* r = std::get_if<config::rule::Interval>(&key.rule)) {
        const std::string minimum = "inimum " + std::to_string(r->minimum), maximum = "maximum " + std::to_string(r->maximum);
        if (!contains(meaning, minimum) || !contains(meaning, maximum)) return "does not say m" + minimum + ", " + maximum;
    }
    if (const auto* r = std::get_if<config::rule::Integer>(&key.rule)) {
        const std::string range = std::to_string(r->min) + " to " + std::to_string(r->max);
        bool listed = r->max - r->min <= 2;  // a few choices: each one in backticks
        for (int value = r->min; listed && value <= r->max; ++value) listed = contains(meaning, "`" + std::to_string(value) + "`");
        if (!contains(meaning, range) && !listed) return "does not say " + range;
    }
    return {};
}

// One line for each difference between the docs and the key table.
std::vector<std::string> mismatches(const std::string& markdown) {
    std::vector<std::string> found;
    auto rows = rows_in(markdown);
    for (const config::Key& key : config::keys()) {
        const std::string name = "[" + std::string(key.section) + "] " + key.name;
        const auto it = rows.find({std::string(key.section), key.name});
        if (it == rows.end()) {
            found.push_back(name + ": not documented");
            continue;
        }
        const DocRow& row = it->second;
        if (row.default_cell != documented_default(key))
            found.push_back(name + ": default " + row.default_cell + ", the table says " + documented_default(key));
        if (contains(row.meaning, "Secret.") != key.secret())
            found.push_back(name + (key.secret() ? ": secret, the docs do not say so" : ": not secret, the docs say so"));
        if (row.meaning.rfind(std::string(key.help), 0) != 0)
            found.push_back(name + ": the meaning does not start with the table's help \"" + std::string(key.help) + "\"");
        if (const std::string problem = range_problem(key, row.meaning); !problem.empty())
            found.push_back(name + ": " + problem);
        rows.erase(it);
    }
    for (const auto& [key, row] : rows) found.push_back("[" + key.first + "] " + key.second + ": not in the key table");
    return found;
}

std::string replace_once(std::string text, const std::string& from, const std::string& to) {
    const auto at = text.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    if (at != std::string::npos) text.replace(at, from.size(), to);
    return text;
}

std::string joined(const std::vector<std::string>& lines) {
    std::string text;
    for (const std::string& line : lines) text += line + "\n";
    return text;
}

}  // namespace

TEST(ConfigDocs, EveryKeyRowMatchesTheKeyTable) {
    const std::string docs = testsupport::read_file(kDocs);
    EXPECT_EQ(rows_in(docs).size(), config::keys().size());
    EXPECT_EQ(joined(mismatches(docs)), "");
}

TEST(ConfigDocs, AChangedDefaultIsFound) {
    const std::string docs = replace_once(testsupport::read_file(kDocs), "| `publish_interval` | `5` |", "| `publish_interval` | `1` |");
    EXPECT_EQ(joined(mismatches(docs)), "[MQTT] publish_interval: default `1`, the table says `5`\n");
}

TEST(ConfigDocs, AMissingSecretMarkIsFound) {
    const std::string docs = replace_once(testsupport::read_file(kDocs), "| Broker password. Secret. |", "| Broker password. |");
    EXPECT_EQ(joined(mismatches(docs)), "[MQTT] password: secret, the docs do not say so\n");
}

TEST(ConfigDocs, AMissingOrUnknownKeyIsFound) {
    const std::string docs = replace_once(testsupport::read_file(kDocs), "| `custom_name` |", "| `display_name` |");
    EXPECT_EQ(joined(mismatches(docs)), "[PV] custom_name: not documented\n[PV] display_name: not in the key table\n");
}

TEST(ConfigDocs, AWrongRangeIsFound) {
    const std::string docs = replace_once(testsupport::read_file(kDocs), "counts as stalled and is reconnected. 2 to 60.",
                                          "counts as stalled and is reconnected. 2 to 90.");
    EXPECT_EQ(joined(mismatches(docs)), "[ENVOY] stream_timeout: does not say 2 to 60\n");
}
