// app: the process exit codes of dbus-enphase-envoy (documented in the README; packaging's
// service/run reads them).
#pragma once

namespace app {

enum ExitCode : int {
    kExitOk = 0,          // stopped by SIGTERM/SIGINT, --once printed, --capture recorded
    kExitFailure = 1,     // a runtime failure: no data for --once, the D-Bus connection lost, an unexpected error
    kExitConfig = 2,      // a configuration problem (one line names the key)
    kExitNameTaken = 3,   // the D-Bus service name belongs to another process (another driver for this gateway)
};

}  // namespace app
