// energy/Store: where the integrated counters live on disk, written so that a power cut or a
// kill never loses or corrupts them.
//
// The working copy goes to volatile_dir (RAM on a GX device) as often as the caller likes;
// flush() copies it to state_dir (the SD card) far less often. Both are written with
// util::write_atomic. load() reads both and takes, for each counter, the larger value, so
// whichever file is newer wins and a counter never restarts lower than it was saved.
#pragma once

#include <string>

#include "energy/CounterFile.hpp"

namespace energy {

inline constexpr const char* kCounterFileName = "energy-counters.txt";

class Store {
public:
    Store(std::string state_dir, std::string volatile_dir);

    // Missing files are normal (first start); unreadable lines are logged and skipped.
    Totals load() const;
    // Return false (and log once per failure episode) when the file could not be written.
    bool save_volatile(const Totals& totals);
    bool save_state(const Totals& totals);

    std::string state_file() const { return state_dir_ + "/" + kCounterFileName; }
    std::string volatile_file() const { return volatile_dir_ + "/" + kCounterFileName; }

private:
    bool save(const std::string& dir, const std::string& file, const Totals& totals, bool& failing);

    std::string state_dir_;
    std::string volatile_dir_;
    bool volatile_failing_ = false;
    bool state_failing_ = false;
};

}  // namespace energy
