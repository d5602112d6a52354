// config: describe(), the one-line summary of the configuration for the start-up log.
#include <sstream>

#include "config/Load.hpp"

namespace config {
namespace {

const char* firmware_name(Config::Envoy::Firmware firmware) {
    switch (firmware) {
        case Config::Envoy::Firmware::Auto: return "auto";
        case Config::Envoy::Firmware::Pre7: return "pre-7";
        case Config::Envoy::Firmware::Token: return "token";
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

}  // namespace

std::string describe(const Config& c) {
    std::ostringstream out;
    const auto& e = c.envoy;
    out << "config " << c.path << ": gateway " << (e.scheme ? *e.scheme + "://" : std::string()) << e.authority()
        << " firmware " << firmware_name(e.firmware) << " (" << e.firmware_text << ")";
    if (!e.serial.empty()) out << " serial " << e.serial;
    out << ", credentials:";
    if (!e.token.empty()) out << " token ***";
    if (!e.password.empty()) out << " password ***";
    if (!e.enlighten_user.empty() || !e.enlighten_password.empty())
        out << " enlighten " << (e.enlighten_user.empty() ? "(no user)" : "user set")
            << (e.enlighten_password.empty() ? " (no password)" : " password ***");
    if (e.token.empty() && e.password.empty() && e.enlighten_user.empty() && e.enlighten_password.empty())
        out << " none";
    out << ", timeouts stream " << e.stream_timeout << "s request " << e.request_timeout << "s";
    out << "; PV max " << c.pv.max << "W position " << c.pv.position << " instance " << c.pv.device_instance;
    if (c.pv.inverter_count > 0) out << " inverters " << c.pv.inverter_count;
    if (!c.pv.inverter_type.empty()) out << " type " << c.pv.inverter_type;
    if (!c.pv.custom_name.empty()) out << " name \"" << c.pv.custom_name << "\"";
    out << "; grid meter " << (c.grid.enabled ? "on instance " + std::to_string(c.grid.device_instance) : "off");
    out << "; fetch";
    fetch(out, "devices", c.data.devices);
    fetch(out, "inverters", c.data.inverters);
    fetch(out, "events", c.data.events);
    out << " historic=" << e.fetch_production_historic_interval << "s";
    out << "; MQTT ";
    if (c.mqtt.enabled) {
        const auto& m = c.mqtt;
        out << m.broker_address << ":" << m.broker_port << " every " << m.publish_interval << "s tls "
            << on_off(m.tls_enabled);
        if (m.tls_enabled && m.tls_insecure) out << " (insecure)";
        if (!m.username.empty()) out << " user " << m.username;
        if (!m.password.empty()) out << " password ***";
        out << " retain " << on_off(m.retain);
    } else {
        out << "off";
    }
    out << "; energy " << c.energy.state_dir << " flush " << c.energy.flush_interval << "s";
    out << "; log " << logging::to_string(c.log_level);
    return out.str();
}

}  // namespace config
