// app: the serial of the gateway this daemon last talked to, kept in "<state_dir>/gateway-serial"
// (the serial and a newline, written atomically), so that after a restart the devices are on
// D-Bus at once, before the gateway answers, under the serial they had.
#pragma once

#include <optional>
#include <string>

namespace app {

class LastSerial {
public:
    // Reads the file; content that is not a valid serial is ignored with one WARNING line.
    explicit LastSerial(const std::string& state_dir);

    // The stored serial; nullopt when there is none.
    const std::optional<std::string>& stored() const { return stored_; }
    // Stores serial unless it is the one stored; a failure is logged once and otherwise ignored.
    void remember(const std::string& serial);
    const std::string& path() const { return path_; }

private:
    std::string path_;
    std::optional<std::string> stored_;
};

}  // namespace app
