// model: how config.ini tells the driver to reach the gateway, as plain choices shared by the
// config (which reads them) and the gateway client (which acts on them).
#pragma once

namespace model {

// Which firmware family to assume ([ENVOY] firmware). Auto asks the gateway (/info:
// GatewayInfo::token_firmware()); Pre7 is firmware before 7 (HTTP, installer Digest password),
// Token is 7 and later (HTTPS, a JWT).
enum class FirmwareChoice { Auto, Pre7, Token };

// Which TLS key a token-firmware gateway must present before the token is sent ([ENVOY]
// certificate; envoy/GatewayKey.hpp).
enum class CertificatePolicy {
    Auto,   // the one it presented on first contact (remembered in the pin folder)
    Any,    // any: no check (insecure: the token goes to whatever answers at the address)
    Fixed,  // the configured pin
};

}  // namespace model
