// config (internal): INI text to entries with inih; see IniFile.hpp.
#include "config/IniFile.hpp"

#include <ini.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "config/Load.hpp"
#include "config/Values.hpp"

namespace config::detail {
namespace {

#ifdef EE_INIH_RUNTIME_OPTIONS
constexpr int kMaxLine = 16384;
#else
constexpr int kMaxLine = INI_MAX_LINE;
#endif
// inih needs room for "\r\n\0" on top of the line's characters.
constexpr size_t kMaxLineChars = kMaxLine - 3;

struct ParseState {
    std::vector<IniEntry> entries;
};

int on_entry(void* user, const char* section, const char* name, const char* value) {
    auto* state = static_cast<ParseState*>(user);
    if (section[0] == '\0' || name[0] == '\0') return 0;  // reported with its line number
    state->entries.push_back(IniEntry{upper(trim(section)), lower(trim(name)), trim(value)});
    return 1;
}

std::vector<std::string> split_lines(const std::string& text) {
    std::vector<std::string> lines;
    std::istringstream stream(text);
    std::string line;
    while (std::getline(stream, line)) lines.push_back(line);
    return lines;
}

// What is wrong with line `number` (1-based), which inih rejected.
std::string describe_bad_line(const std::vector<std::string>& lines, size_t number) {
    const std::string line = number <= lines.size() ? trim(lines[number - 1]) : std::string();
    if (!line.empty() && line.front() == '[')
        return "section header without a closing ']'";
    if (line.find('=') == std::string::npos && line.find(':') == std::string::npos)
        return "expected 'key = value', a [SECTION] header or a comment";
    const auto separator = line.find_first_of("=:");
    if (trim(line.substr(0, separator)).empty()) return "a key name is missing before '" + line.substr(separator, 1) + "'";
    return "key outside any section; put it below a [SECTION] header";
}

void configure_inih() {
#ifdef EE_INIH_RUNTIME_OPTIONS
    // Python's configparser: no inline comments, and (our choice) no continuation lines,
    // so an indented key is still a key. Long lines (tokens) need a heap buffer.
    ini_allow_inline_comments = false;
    ini_allow_multiline = false;
    ini_use_stack = false;
    ini_allow_realloc = true;
    ini_max_line = kMaxLine;
    ini_stop_on_first_error = true;
#endif
}

}  // namespace

std::string read_config_text(const std::string& path) {
    std::error_code error;
    if (std::filesystem::is_directory(path, error))
        throw ConfigError("cannot read config file " + path + ": " + std::strerror(EISDIR));
    std::ifstream file(path, std::ios::binary);
    if (!file) throw ConfigError("cannot read config file " + path + ": " + std::strerror(errno));
    std::ostringstream content;
    content << file.rdbuf();
    if (file.bad()) throw ConfigError("cannot read config file " + path + ": " + std::strerror(errno));
    return content.str();
}

std::vector<IniEntry> parse_ini(const std::string& text, const std::string& label) {
    const std::vector<std::string> lines = split_lines(text);
    for (size_t i = 0; i < lines.size(); ++i) {
        if (lines[i].size() > kMaxLineChars)
            throw ConfigError(label + ": line " + std::to_string(i + 1) + ": longer than " +
                              std::to_string(kMaxLineChars) + " characters");
    }
    if (text.find('\0') != std::string::npos)
        throw ConfigError(label + ": contains a NUL byte; expected a text file");

    configure_inih();
    ParseState state;
    const int result = ini_parse_string(text.c_str(), on_entry, &state);
    if (result > 0)
        throw ConfigError(label + ": line " + std::to_string(result) + ": " +
                          describe_bad_line(lines, static_cast<size_t>(result)));
    if (result < 0) throw ConfigError(label + ": cannot parse (out of memory)");
    return std::move(state.entries);
}

}  // namespace config::detail
