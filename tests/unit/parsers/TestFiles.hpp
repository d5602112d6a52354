// tests/unit/parsers: reading gateway captures and hand-made inputs for the parser tests.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "Process.hpp"

namespace parsers_test {

// A file of a real capture: tests/data/envoy/<folder>/<file>.
inline std::string capture(const std::string& folder, const std::string& file) {
    return testsupport::read_file(testsupport::test_data("envoy/" + folder + "/" + file));
}

inline bool has_capture(const std::string& folder, const std::string& file) {
    return std::filesystem::exists(testsupport::test_data("envoy/" + folder + "/" + file));
}

// A hand-made input: tests/data/parsers/<file>.
inline std::string handmade(const std::string& file) {
    return testsupport::read_file(testsupport::test_data("parsers/" + file));
}

// Every capture folder, sorted.
inline std::vector<std::string> capture_folders() {
    std::vector<std::string> folders;
    for (const auto& entry : std::filesystem::directory_iterator(testsupport::test_data("envoy"))) {
        if (entry.is_directory()) folders.push_back(entry.path().filename().string());
    }
    std::sort(folders.begin(), folders.end());
    return folders;
}

}  // namespace parsers_test
