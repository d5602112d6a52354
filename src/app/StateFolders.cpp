// app: make_state_folders().
#include "app/StateFolders.hpp"

#include <filesystem>
#include <system_error>

#include "log/Log.hpp"

namespace app {
namespace {

void make_folder(const std::filesystem::path& folder, const char* what) {
    if (folder.empty()) return;
    std::error_code error;
    std::filesystem::create_directories(folder, error);
    if (error) LOG_WARNING("cannot create " << what << " " << folder.string() << ": " << error.message());
}

}  // namespace

void make_state_folders(const config::Config& config) {
    make_folder(config.energy.state_dir, "[ENERGY] state_dir");
    if (!config.envoy.token_cache.empty()) {
        make_folder(std::filesystem::path(config.envoy.token_cache).parent_path(), "the folder of [ENVOY] token_cache");
    }
}

}  // namespace app
