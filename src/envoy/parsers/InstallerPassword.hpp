// envoy/parsers: the installer Digest password of pre-7 gateway firmware, derived from the serial.
#pragma once

#include <string>
#include <string_view>

namespace envoy::parse {

// The 8-character password of user "installer" (realm enphaseenergy.com) on firmware before D7.
// Pure: the same serial always gives the same password. Never log the result.
std::string installer_password(std::string_view serial);

}  // namespace envoy::parse
