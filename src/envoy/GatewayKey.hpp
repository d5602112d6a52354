// envoy: the gateway's TLS public key, pinned so that a token is only ever sent to the gateway
// it belongs to.
//
// Token firmware serves HTTPS with a self-signed certificate, so the usual certificate checks
// cannot tell the gateway from any other device at its address. Instead the key the gateway
// presents on first contact is remembered (trust on first use) in gateway-<serial>.pin beside the
// token cache (mode 0600), and every later request carries it as libcurl's pinned public key:
// a TLS handshake with any other key fails before a byte of the request, token included, is
// sent. A pin is written "sha256//" + the base64 SHA-256 of the DER SubjectPublicKeyInfo, the
// form of CURLOPT_PINNEDPUBLICKEY and of `openssl ... | openssl dgst -sha256 -binary | base64`.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "util/Problem.hpp"

namespace envoy {

// The pin of the public key of the PEM certificate; nullopt when it cannot be read.
std::optional<std::string> public_key_pin(std::string_view certificate_pem);
// Whether text is a pin: "sha256//" and 44 base64 characters.
bool is_pin(std::string_view text);

// The pins of gateways by serial, one file each in a folder.
class PinStore {
public:
    explicit PinStore(std::string dir) : dir_(std::move(dir)) {}
    std::string path(const std::string& serial) const { return dir_ + "/gateway-" + serial + ".pin"; }
    // The pin remembered for the gateway; nullopt when none (or the file is not a pin).
    std::optional<std::string> read(const std::string& serial) const;
    // Remembers a pin.
    [[nodiscard]] util::Problem write(const std::string& serial, const std::string& pin) const;

private:
    std::string dir_;
};

}  // namespace envoy
