// envoy: Client's probe: /info (serial, firmware, the gateway's key, before any credential
// goes out), then the meter configuration and production.json, which say what the gateway
// offers (SourceOffer) before the sources start.
#include "envoy/Client.hpp"

#include <algorithm>

#include "envoy/parsers/Parsers.hpp"
#include "log/Log.hpp"

namespace envoy {

void Client::probe() {
    ready_ = false;
    candidate_.reset();
    if (active_) bury(std::move(active_));
    probe_info(0);
}

void Client::probe_info(std::size_t candidate) {
    session_.set_base(candidates_[candidate]);
    session_.set_auth({});
    session_.set_pin("");
    // /info carries no credentials: it is where the gateway's key is learnt before anything is sent.
    session_.get_learning_key("/info", [this, candidate](HttpResponse&& response) { on_info(candidate, std::move(response)); });
}

void Client::on_info(std::size_t candidate, HttpResponse&& response) {
    if (!response.ok()) {
        if (candidate + 1 < candidates_.size()) {
            LOG_DEBUG("probe " << candidates_[candidate] << "/info: " << response.describe());
            probe_info(candidate + 1);
            return;
        }
        retry_later("gateway " + settings_.host + " not reachable: " + candidates_[candidate] + "/info: " + response.describe());
        return;
    }
    try {
        status_.gateway = parse::info(response.body);
    } catch (const parse::ParseError& error) {
        retry_later(error.what());
        return;
    }
    const auto& gateway = status_.gateway;
    status_.token_access = settings_.firmware == FirmwareChoice::Auto ? gateway.token_firmware()
                                                                      : settings_.firmware == FirmwareChoice::Token;
    if (status_.token_access != gateway.token_firmware() && !firmware_mismatch_told_) {
        firmware_mismatch_told_ = true;
        LOG_WARNING("[ENVOY] firmware forces " << (status_.token_access ? "token" : "pre-7") << " access although /info says "
                                               << gateway.firmware << "; using the configured one");
    }
    status_.base_url = candidates_[candidate];
    // Token firmware talks HTTPS; move there unless the user forced a scheme.
    if (status_.token_access && !settings_.scheme && status_.base_url.rfind("http://", 0) == 0) {
        status_.base_url = "https://" + status_.base_url.substr(7);
    }
    const bool moved = status_.base_url != candidates_[candidate];
    session_.set_base(status_.base_url);
    LOG_INFO("gateway " << gateway.serial << " firmware " << gateway.firmware << " ("
                        << (status_.token_access ? "token firmware" : "pre-7 firmware") << "), metering board "
                        << (gateway.metering_board ? (*gateway.metering_board ? "yes" : "no") : "unknown") << ", at "
                        << status_.base_url);
    if (moved && status_.base_url.rfind("https://", 0) == 0) {
        // Moved from http to https: the key is learnt there, still before any credential goes out.
        session_.get_learning_key("/info", [this](HttpResponse&& again) {
            if (!again.ok()) {
                retry_later("gateway " + settings_.host + ": " + status_.base_url + "/info: " + again.describe());
                return;
            }
            if (check_gateway_key(again.peer_key)) after_info();
        });
        return;
    }
    if (check_gateway_key(response.peer_key)) after_info();
}

bool Client::check_gateway_key(const std::string& presented) {
    session_.set_pin("");
    status_.problem.clear();
    if (status_.base_url.rfind("https://", 0) != 0) return true;  // plain HTTP (pre-7 firmware): no key to check
    if (settings_.certificate == CertificatePolicy::Any) {
        if (!any_key_told_) {
            any_key_told_ = true;
            LOG_WARNING("[ENVOY] certificate = any: the gateway's key is not checked, so the token goes to whatever "
                        "answers at " << status_.base_url);
        }
        return true;
    }
    if (presented.empty()) {
        retry_later("cannot read the TLS key of the gateway at " + status_.base_url);
        return false;
    }
    const std::string& serial = status_.gateway.serial;
    std::optional<std::string> pinned =
        settings_.certificate == CertificatePolicy::Fixed ? std::optional(settings_.certificate_pin) : pins_.read(serial);
    if (!pinned) {
        if (const auto problem = pins_.write(serial, presented)) {
            LOG_WARNING("cannot remember the gateway's key (" << *problem << "); it is checked for this run only");
        } else {
            LOG_INFO("gateway " << serial << ": its key " << presented << " is remembered in " << pins_.path(serial)
                                << "; the token is only sent to a gateway with this key");
        }
    } else if (*pinned != presented) {
        key_changed(*pinned, presented);
        return false;
    }
    key_change_told_ = false;
    session_.set_pin(presented);
    return true;
}

void Client::key_changed(const std::string& pinned, const std::string& presented) {
    status_.problem = "refused: the gateway's key changed";
    if (!key_change_told_) {
        key_change_told_ = true;
        const bool fixed = settings_.certificate == CertificatePolicy::Fixed;
        LOG_ERROR("the device at " << status_.base_url << " (serial " << status_.gateway.serial << ") presents the key "
                                   << presented << ", not " << pinned << (fixed ? " ([ENVOY] certificate)" : " (its key at first contact)")
                                   << ": no token is sent to it. If the gateway was replaced or a firmware update renewed "
                                      "its key, accept the new one with: dbus-enphase-envoy --config CONFIG "
                                      "--accept-certificate"
                                   << (fixed ? " and set [ENVOY] certificate = " + presented : std::string()));
    }
    stop_data();
    publish_status();
    retry_later("the gateway's key still differs from the accepted one", true);
}

void Client::after_info() {
    if (!configure_auth()) return;
    if (status_.token_access) {
        check_token();
    } else {
        load_meters();
    }
}

void Client::load_meters() {
    session_.get("/ivp/meters", [this](HttpResponse&& response) {
        meters_.clear();
        if (response.ok()) {
            try {
                meters_ = parse::meters(response.body);
            } catch (const parse::ParseError& error) {
                LOG_WARNING(error.what() << "; treating the gateway as having no meters");
            }
        } else if (response.status != 404) {
            LOG_WARNING("/ivp/meters: " << response.describe() << "; treating the gateway as having no meters");
        }
        status_.meters_enabled = 0;
        for (const auto& meter : meters_) {
            if (meter.enabled && model::site_meter(meter.type)) ++status_.meters_enabled;
        }
        LOG_INFO("meters: " << meters_.size() << " configured, " << status_.meters_enabled << " enabled");
        load_production(true);
    });
}

void Client::load_production(bool then_start_sources) {
    session_.get("/production.json?details=1", [this, then_start_sources](HttpResponse&& response) {
        if (response.ok()) {
            try {
                production_ = parse::production_json(response.body);
                if (production_->total_consumption_is_net && !total_fault_told_) {
                    total_fault_told_ = true;
                    LOG_WARNING("/production.json repeats net-consumption as total-consumption (a known fault of firmware "
                                << status_.gateway.firmware << "); consumption is derived from production and the grid");
                }
            } catch (const parse::ParseError& error) {
                LOG_INFO(error.what() << " (lifetime and daily counters from it are unavailable)");
            }
        } else {
            LOG_INFO("/production.json: " << response.describe() << " (lifetime and daily counters from it are unavailable)");
        }
        offer_sources();
        production_timer_.start(production_refresh(), [this]() { load_production(false); });
        if (then_start_sources) start_sources();
    });
}

bool Client::has_enabled_meter(model::MeasurementType type) const {
    return std::any_of(meters_.begin(), meters_.end(), [type](const auto& m) { return m.enabled && m.type == type; });
}

std::chrono::milliseconds Client::production_refresh() const {
    // A consumption CT without a production CT: PV comes from production.json's inverters
    // entry, which must then be as fresh as the inverters source would keep it.
    if (status_.meters_enabled > 0 && !has_enabled_meter(model::MeasurementType::Production)) {
        return settings_.inverters_interval;
    }
    return settings_.production_interval;
}

void Client::offer_sources() {
    SourceOffer offer;
    offer.meters_enabled = status_.meters_enabled > 0;
    offer.production_json_meters =
        production_ && (production_->production.present || production_->net_consumption.present ||
                        production_->total_consumption.present);
    offer.inverters_in_production_json = production_ && production_->inverters_power;
    offer.metering_board = status_.gateway.metering_board.value_or(false);
    selection_.set_offer(offer);
}

}  // namespace envoy
