// app: LastSerial, the gateway serial remembered in the state folder.
#include "app/LastSerial.hpp"

#include "log/Log.hpp"
#include "model/Gateway.hpp"
#include "util/AtomicFile.hpp"
#include "util/Text.hpp"

namespace app {

LastSerial::LastSerial(const std::string& state_dir) : path_(state_dir + "/gateway-serial") {
    util::remove_stale_temporaries(path_);
    const auto content = util::read_whole_file(path_);
    if (!content) return;
    std::string serial(util::trim(*content));
    if (model::valid_serial(serial)) {
        stored_ = std::move(serial);
    } else {
        LOG_WARNING(path_ << " does not hold a gateway serial (1 to 32 letters and digits); ignoring it");
    }
}

void LastSerial::remember(const std::string& serial) {
    if (stored_ == serial) return;
    // A failure is told once per serial, not at every status of the gateway.
    if (const auto problem = util::write_atomic(path_, serial + "\n")) {
        LOG_WARNING("cannot remember the gateway serial in " << path_ << ": " << *problem);
    }
    stored_ = serial;
}

}  // namespace app
