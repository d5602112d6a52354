// fuzz: config.ini text through config::load() (written to a temporary file, as the daemon
// reads it) and, when it loads, through describe() and credentials_problem().
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "config/Load.hpp"

namespace {

// One private directory per fuzzer process, so parallel runs do not share the file.
const std::string& config_path() {
    static const std::string path = [] {
        static std::string dir = "/tmp/ee-config-fuzz-XXXXXX";
        if (!::mkdtemp(dir.data())) std::abort();
        std::atexit([] {
            ::unlink((dir + "/config.ini").c_str());
            ::rmdir(dir.c_str());
        });
        return dir + "/config.ini";
    }();
    return path;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    {
        std::ofstream file(config_path(), std::ios::binary | std::ios::trunc);
        file.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
    }
    std::vector<std::string> warnings;
    try {
        const config::Config config = config::load(config_path(), warnings);
        (void)config::describe(config);
        (void)config::credentials_problem(config, true, "D7.6.175");
        (void)config::credentials_problem(config, false);
    } catch (const config::ConfigError&) {
    }
    return 0;
}
