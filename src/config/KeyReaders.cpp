// config (internal): the readers of the special keys; see KeyReaders.hpp.
#include "config/KeyReaders.hpp"

#include "config/Values.hpp"

namespace config {

void rule::Input::reject(std::string_view expected) const {
    if (entry) reader.fail(*entry, std::string(expected));
    reader.fail_missing(std::string(key.section), std::string(key.name), std::string(expected));
}

namespace detail {

void read_log_level(const rule::Input& input, Config& config) {
    const std::string level = upper(input.value);
    if (level == "ERROR") config.log_level = logging::Level::Error;
    else if (level == "WARNING") config.log_level = logging::Level::Warning;
    else if (level == "INFO") config.log_level = logging::Level::Info;
    else if (level == "DEBUG") config.log_level = logging::Level::Debug;
    else input.reject(input.key.expected);
}

std::string show_log_level(const Config& config) { return std::string(logging::to_string(config.log_level)); }

void read_address(const rule::Input& input, Config& config) {
    const std::string expected(input.key.expected);
    if (input.value == kPlaceholder) input.reject(expected + " instead of the placeholder");
    std::string problem;
    const auto parsed = parse_address(input.value, problem);
    if (!parsed) input.reject(problem);
    config.envoy.host = parsed->host;
    config.envoy.port = parsed->port;
    config.envoy.scheme = parsed->scheme;
}

std::string show_address(const Config& config) {
    const auto& envoy = config.envoy;
    return (envoy.scheme ? *envoy.scheme + "://" : std::string()) + envoy.authority();
}

void read_firmware(const rule::Input& input, Config& config) {
    const auto family = parse_firmware(input.value);
    if (!family) input.reject(input.key.expected);
    config.envoy.firmware = *family;
    config.envoy.firmware_text = input.value;
}

std::string show_firmware(const Config& config) { return config.envoy.firmware_text; }

void read_certificate(const rule::Input& input, Config& config) {
    auto& envoy = config.envoy;
    envoy.certificate_pin.clear();
    if (input.value == "auto") {
        envoy.certificate = model::CertificatePolicy::Auto;
    } else if (input.value == "any") {
        envoy.certificate = model::CertificatePolicy::Any;
    } else if (is_certificate_pin(input.value)) {
        envoy.certificate = model::CertificatePolicy::Fixed;
        envoy.certificate_pin = input.value;
    } else {
        input.reject(input.key.expected);
    }
}

std::string show_certificate(const Config& config) {
    switch (config.envoy.certificate) {
        case model::CertificatePolicy::Auto: return "auto";
        case model::CertificatePolicy::Any: return "any";
        case model::CertificatePolicy::Fixed: return config.envoy.certificate_pin;
    }
    return "?";
}

// Required while [MQTT] enabled (read before it) is on; the sample's placeholder is refused then.
void read_broker_address(const rule::Input& input, Config& config) {
    config.mqtt.broker_address = input.value;
    if (!config.mqtt.enabled) return;
    if (!input.entry || input.value == kPlaceholder) input.reject(input.key.expected);
    if (!is_broker_host(input.value)) input.reject("a host name or IP address without scheme or path");
}

std::string show_broker_address(const Config& config) { return config.mqtt.broker_address; }

}  // namespace detail
}  // namespace config
