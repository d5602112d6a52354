// model: which gateway firmware family the driver assumes, as config.ini's [ENVOY] firmware
// chooses it. Auto asks the gateway (/info: GatewayInfo::token_firmware()); Pre7 is firmware
// before 7 (HTTP, installer Digest password), Token is 7 and later (HTTPS, a JWT).
#pragma once

namespace model {

enum class FirmwareChoice { Auto, Pre7, Token };

}  // namespace model
