// envoy/parsers: derives the pre-7 installer password from the gateway serial (MD5 via OpenSSL EVP).
#include "envoy/parsers/InstallerPassword.hpp"

#include <openssl/evp.h>

#include <algorithm>
#include <array>
#include <memory>
#include <stdexcept>

namespace envoy::parse {
namespace {

std::string md5_hex(std::string_view text) {
    std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
    std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
    unsigned int length = 0;
    if (!ctx || EVP_DigestInit_ex(ctx.get(), EVP_md5(), nullptr) != 1 ||
        EVP_DigestUpdate(ctx.get(), text.data(), text.size()) != 1 ||
        EVP_DigestFinal_ex(ctx.get(), digest.data(), &length) != 1) {
        throw std::runtime_error("installer password: MD5 is not available");
    }
    static constexpr char kHex[] = "0123456789abcdef";
    std::string hex;
    hex.reserve(length * 2);
    for (unsigned int i = 0; i < length; ++i) {
        hex.push_back(kHex[digest[i] >> 4]);
        hex.push_back(kHex[digest[i] & 0x0f]);
    }
    return hex;
}

}  // namespace

std::string installer_password(std::string_view serial) {
    std::string input = "[e]installer@enphaseenergy.com#";
    input.append(serial);
    input.append(" EnPhAsE eNeRgY ");
    const std::string hex = md5_hex(input);

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
