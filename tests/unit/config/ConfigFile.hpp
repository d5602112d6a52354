// Test helper for the config tests: writes INI text to a fresh temporary config.ini (or another
// file name: the name of a gateway among several) and loads it.
#pragma once

#include <string>
#include <vector>

#include "Process.hpp"
#include "config/Load.hpp"

namespace configtest {

struct ConfigFile {
    testsupport::TempDir dir;
    std::string path;
    std::vector<std::string> warnings;

    explicit ConfigFile(const std::string& text, const std::string& name = "config.ini") : path(dir.file(name)) {
        testsupport::write_file(path, text);
    }

    config::Config load() { return config::load(path, warnings); }

    // The ConfigError message, or "" when the file loaded.
    std::string error() {
        try {
            load();
        } catch (const config::ConfigError& e) {
            return e.what();
        }
        return "";
    }
};

// The smallest valid file, followed by `more`.
inline std::string minimal(const std::string& more = "") { return "[ENVOY]\naddress = 192.168.1.50\n" + more; }

}  // namespace configtest
