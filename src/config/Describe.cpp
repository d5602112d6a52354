// config: describe(), the one-line summary of the configuration for the start-up log. Text
// values come through the key table (Keys.hpp), which masks every secret as "***".
#include <sstream>
#include <stdexcept>

#include "config/Keys.hpp"
#include "config/Load.hpp"

namespace config {
namespace {

const char* firmware_name(model::FirmwareChoice firmware) {
    switch (firmware) {
        case model::FirmwareChoice::Auto: return "auto";
        case model::FirmwareChoice::Pre7: return "pre-7";
        case model::FirmwareChoice::Token: return "token";
    }
    return "?";
}

const char* on_off(bool value) { return value ? "on" : "off"; }

void fetch(std::ostringstream& out, const char* name, const Config::Data::Fetch& f) {
    out << " " << name << "=";
    if (!f.enabled) {
        out << "off";
        return;
    }
    out << f.interval << "s" << (f.publish_always ? "/always" : "/on-change");
}

// [section] name of c as the key table shows it ("" when unset, "***" for a set secret).
class Shown {
public:
    explicit Shown(const Config& c) : c_(c) {}

    std::string operator()(std::string_view section, std::string_view name) const {
        const Key* key = find_key(section, name);
        if (!key) throw std::logic_error("describe: no key [" + std::string(section) + "] " + std::string(name));
        return shown(c_, *key);
    }
    // " label value" when the key is set.
    std::string labelled(std::string_view label, std::string_view section, std::string_view name) const {
        const std::string value = (*this)(section, name);
        return value.empty() ? std::string() : " " + std::string(label) + " " + value;
    }

private:
    const Config& c_;
};

void describe_credentials(std::ostringstream& out, const Shown& shown) {
    const std::string token = shown("ENVOY", "token"), password = shown("ENVOY", "password");
    const std::string user = shown("ENVOY", "enlighten_user"), cloud_password = shown("ENVOY", "enlighten_password");
    out << ", credentials:";
    if (!token.empty()) out << " token " << token;
    if (!password.empty()) out << " password " << password;
    if (!user.empty() || !cloud_password.empty())
        out << " enlighten " << (user.empty() ? "(no user)" : "user set")
            << (cloud_password.empty() ? " (no password)" : " password " + cloud_password);
    if (token.empty() && password.empty() && user.empty() && cloud_password.empty()) out << " none";
}

}  // namespace

std::string describe(const Config& c) {
    const Shown shown(c);
    std::ostringstream out;
    const auto& e = c.envoy;
    out << "config " << c.path;
    if (!c.gateway_name.empty()) out << " (gateway \"" << c.gateway_name << "\")";
    out << ": gateway " << shown("ENVOY", "address") << " firmware " << firmware_name(e.firmware)
        << " (" << shown("ENVOY", "firmware") << ")" << shown.labelled("serial", "ENVOY", "serial");
    describe_credentials(out, shown);
    out << ", timeouts stream " << e.stream_timeout << "s request " << e.request_timeout << "s";
    out << "; PV max " << c.pv.max << "W position " << c.pv.position << " instance " << c.pv.device_instance;
    if (c.pv.inverter_count > 0) out << " inverters " << c.pv.inverter_count;
    out << shown.labelled("type", "PV", "inverter_type");
    if (const std::string name = shown("PV", "custom_name"); !name.empty()) out << " name \"" << name << "\"";
    out << "; grid meter " << (c.grid.enabled ? "on instance " + std::to_string(c.grid.device_instance) : "off");
    out << "; fetch";
    fetch(out, "devices", c.data.devices);
    fetch(out, "inverters", c.data.inverters);
    fetch(out, "events", c.data.events);
    out << " historic=" << e.fetch_production_historic_interval << "s";
    out << "; MQTT ";
    if (c.mqtt.enabled) {
        const auto& m = c.mqtt;
        out << shown("MQTT", "broker_address") << ":" << m.broker_port << " every " << m.publish_interval << "s tls "
            << on_off(m.tls_enabled);
        if (m.tls_enabled && m.tls_insecure) out << " (insecure)";
        out << shown.labelled("user", "MQTT", "username") << shown.labelled("password", "MQTT", "password");
        out << " retain " << on_off(m.retain);
    } else {
        out << "off";
    }
    out << "; energy " << shown("ENERGY", "state_dir") << " flush " << c.energy.flush_interval << "s";
    out << "; log " << shown("DEFAULT", "logging");
    return out.str();
}

}  // namespace config
