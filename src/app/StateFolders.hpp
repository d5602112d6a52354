// app: the folders a gateway's files go to ([ENERGY] state_dir, and the token cache's folder,
// where the gateway's key pin is kept too) are created when missing, before anything is
// written there: a named gateway's default folder (config/Gateway.hpp) does not exist before
// its first start.
#pragma once

#include "config/Config.hpp"

namespace app {

// Creates the folders; a failure is one WARNING line (the writes there then report their own).
void make_state_folders(const config::Config& config);

}  // namespace app
