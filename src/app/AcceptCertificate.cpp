// app: run_accept_certificate() — one /info request, its key written as the gateway's pin.
#include "app/AcceptCertificate.hpp"

#include <iostream>

#include "app/EnvoySettings.hpp"
#include "app/ExitCode.hpp"
#include "app/StateFolders.hpp"
#include "envoy/GatewayKey.hpp"
#include "envoy/HttpClient.hpp"
#include "envoy/parsers/Info.hpp"
#include "envoy/parsers/ParseError.hpp"
#include "log/Log.hpp"
#include "loop/EventLoop.hpp"

namespace app {

int run_accept_certificate(const config::Config& config) {
    const auto settings = envoy_settings(config);
    if (config.envoy.scheme == std::string("http")) {
        LOG_ERROR("--accept-certificate: the gateway is reached over http:// ([ENVOY] address): there is no key to accept");
        return kExitConfig;
    }
    if (settings.certificate == envoy::CertificatePolicy::Any) {
        LOG_ERROR("--accept-certificate: [ENVOY] certificate = any: no key is checked, so none is accepted");
        return kExitConfig;
    }
    make_state_folders(config);
    loop::EventLoop loop;
    envoy::HttpClient http(loop);
    envoy::HttpRequest request;
    request.url = "https://" + config.envoy.authority() + "/info";
    request.learn_key = true;
    request.timeout = settings.request_timeout;
    envoy::HttpResponse response;
    http.start(std::move(request), [&](envoy::HttpResponse&& done) {
        response = std::move(done);
        loop.stop();
    });
    loop.run();
    if (!response.ok() || response.peer_key.empty()) {
        LOG_ERROR("--accept-certificate: https://" << config.envoy.authority() << "/info: "
                                                   << (response.ok() ? "no TLS key" : response.describe()));
        return kExitFailure;
    }
    model::GatewayInfo gateway;
    try {
        gateway = envoy::parse::info(response.body);
    } catch (const envoy::parse::ParseError& error) {
        LOG_ERROR("--accept-certificate: " << error.what());
        return kExitFailure;
    }
    if (settings.certificate == envoy::CertificatePolicy::Fixed) {
        if (settings.certificate_pin == response.peer_key) {
            std::cout << "the gateway " << gateway.serial << " presents the configured key " << response.peer_key << "\n";
            return kExitOk;
        }
        std::cout << "the gateway " << gateway.serial << " presents the key " << response.peer_key
                  << "; to accept it, set in " << config.path << ":\n[ENVOY]\ncertificate = " << response.peer_key << "\n";
        return kExitConfig;
    }
    const envoy::PinStore pins(settings.pin_dir);
    const auto before = pins.read(gateway.serial);
    if (const auto problem = pins.write(gateway.serial, response.peer_key)) {
        LOG_ERROR("--accept-certificate: " << *problem);
        return kExitFailure;
    }
    std::cout << "accepted the key " << response.peer_key << " of gateway " << gateway.serial << " at https://"
              << config.envoy.authority() << (before && *before != response.peer_key ? " (was " + *before + ")" : "")
              << " in " << pins.path(gateway.serial) << "; the running service uses it at its next attempt\n";
    return kExitOk;
}

}  // namespace app
