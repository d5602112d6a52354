// energy/Store: loading the larger of the two copies and atomic saving of each.
#include "energy/Store.hpp"

#include <algorithm>
#include <filesystem>
#include <system_error>
#include <vector>

#include "log/Log.hpp"
#include "util/AtomicFile.hpp"

namespace energy {
namespace {

Totals read_counters(const std::string& path) {
    auto text = util::read_whole_file(path);
    if (!text) return {};
    std::vector<std::string> problems;
    Totals totals = parse_counters(*text, problems);
    for (const auto& problem : problems) LOG_WARNING("energy: " << path << " " << problem << "; ignored");
    return totals;
}

}  // namespace

Store::Store(std::string state_dir, std::string volatile_dir)
    : state_dir_(std::move(state_dir)), volatile_dir_(std::move(volatile_dir)) {}

Totals Store::load() const {
    // Writes a power cut interrupted left their temporary files; the saved files are whole.
    for (const auto& file : {state_file(), volatile_file()}) {
        if (int removed = util::remove_stale_temporaries(file); removed > 0) {
            LOG_INFO("energy: removed " << removed << " unfinished temporary file(s) of " << file);
        }
    }
    Totals totals = read_counters(state_file());
    for (const auto& [name, kwh] : read_counters(volatile_file())) {
        auto [it, inserted] = totals.emplace(name, kwh);
        if (inserted) continue;
        // Integrated totals only grow: the larger wins. A guard's state ("name@...") is taken whole
        // from the RAM copy, which is never older than the one on storage.
        it->second = name.find('@') == std::string::npos ? std::max(it->second, kwh) : kwh;
    }
    return totals;
}

bool Store::save_volatile(const Totals& totals) { return save(volatile_dir_, volatile_file(), totals, volatile_failing_); }

bool Store::save_state(const Totals& totals) { return save(state_dir_, state_file(), totals, state_failing_); }

bool Store::save(const std::string& dir, const std::string& file, const Totals& totals, bool& failing) {
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    const auto problem = util::write_atomic(file, format_counters(totals));
    if (!problem) {
        if (failing) LOG_INFO("energy: " << file << " written again");
        failing = false;
        return true;
    }
    if (!failing) LOG_ERROR("energy: cannot save the counters: " << *problem);
    failing = true;
    return false;
}

}  // namespace energy
