// envoy/parsers: derives the pre-7 installer password from the gateway serial (MD5 through util).
#include "envoy/parsers/InstallerPassword.hpp"

#include "util/Encoding.hpp"

#include <algorithm>

namespace envoy::parse {

std::string installer_password(std::string_view serial) {
    std::string input = "[e]installer@enphaseenergy.com#";
    input.append(serial);
    input.append(" EnPhAsE eNeRgY ");
    const std::string hex = util::md5_hex(input);

    int zeros = static_cast<int>(std::count(hex.begin(), hex.end(), '0'));
    int ones = static_cast<int>(std::count(hex.begin(), hex.end(), '1'));

    std::string password;
    password.reserve(8);
    for (std::size_t i = 0; i < 8; ++i) {
        const char c = hex[hex.size() - 1 - i];
        if (zeros == 3 || zeros == 6 || zeros == 9) --zeros;
        zeros = std::clamp(zeros, 0, 20);
        if (ones == 9 || ones == 15) --ones;
        ones = std::clamp(ones, 0, 26);
        if (c == '0') {
            password.push_back(static_cast<char>('f' + zeros));
            --zeros;
        } else if (c == '1') {
            password.push_back(static_cast<char>('@' + ones));
            --ones;
        } else {
            password.push_back(c);
        }
    }
    return password;
}

}  // namespace envoy::parse
