// app: Daemon implementation — wiring of the gateway client to the sinks.
#include "app/Daemon.hpp"

#include <csignal>

#include "app/EnvoySettings.hpp"
#include "app/ExitCode.hpp"
#include "app/StateFolders.hpp"
#include "envoy/BatteryTotal.hpp"
#include "log/Log.hpp"
#include "model/Gateway.hpp"
#include "mqtt/ClientId.hpp"

namespace app {
namespace {

constexpr std::int64_t kReportMaxAge = 1200;  // s: an older inverter report is not "reporting"

mqtt::Settings mqtt_settings(const config::Config::Mqtt& in, const std::string& gateway_name) {
    mqtt::Settings out;
    out.host = in.broker_address;
    out.port = in.broker_port;
    out.username = in.username;
    out.password = in.password;
    out.tls_enabled = in.tls_enabled;
    out.ca_file = in.tls_path_to_ca;
    out.tls_insecure = in.tls_insecure;
    out.client_id = in.client_id.empty() ? mqtt::default_client_id(mqtt::local_unique_id(), gateway_name) : in.client_id;
    out.retain = in.retain;
    out.topic_availability = in.topic_availability;
    out.topic_meters = in.topic_meters;
    out.topic_devices = in.topic_devices;
    out.topic_inverters = in.topic_inverters;
    out.topic_events = in.topic_events;
    out.topic_battery = in.topic_battery;
    out.publish_interval = in.publish_interval;
    return out;
}

energy::TrackerSettings energy_settings(const config::Config& config) {
    energy::TrackerSettings out;
    out.state_dir = config.energy.state_dir;
    out.volatile_dir = config.energy.volatile_dir;
    out.flush_interval = std::chrono::seconds(config.energy.flush_interval);
    return out;
}

}  // namespace

Daemon::Daemon(loop::EventLoop& loop, const config::Config& config, ServiceSuffix suffix)
    : loop_(loop),
      config_(config),
      last_serial_(config.energy.state_dir),
      bus_(loop),
      energy_(loop, energy_settings(config)),
      client_(loop, envoy_settings(config),
              envoy::ClientCallbacks{[this](const model::Snapshot& s) { on_snapshot(s); }, [this] { on_lost(); },
                                     [this](const envoy::ClientStatus& s) { on_status(s); },
                                     [this](const std::string& message) { fatal(message, kExitConfig); }}),
      devices_(bus_, config, suffix,
               DeviceHooks{[this](const std::string& serial, int instance) { return identity(serial, instance); },
                           [this](venus::PvInverter& pv) { on_pv_ready(pv); },
                           [this](venus::GridMeter& grid) {
                               if (!connected_) grid.set_disconnected();
                           },
                           [this](const std::string& message, int exit_code) { fatal(message, exit_code); },
                           [this](venus::Battery& battery) { on_battery_ready(battery); }}) {
    if (config.mqtt.enabled) mqtt_ = std::make_unique<mqtt::Publisher>(loop, mqtt_settings(config.mqtt, config.gateway_name));
    if (config.pv.power_limiting) limits_ = std::make_unique<LimitControl>(loop, client_, config);
    // Everything registered on the bus is gone with the connection: a fresh process (started by
    // the supervisor) registers it again.
    bus_.on_lost([this] { fatal("D-Bus: exiting so that the service is registered again", kExitFailure); });
}

Daemon::~Daemon() {
    battery_reader_.reset();
    fetches_.clear();
    if (mqtt_) mqtt_->shutdown();
}

int Daemon::run() {
    loop_.on_signal(SIGINT, [this] { loop_.stop(); });
    loop_.on_signal(SIGTERM, [this] { loop_.stop(); });
    loop_.on_signal(SIGPIPE, [] {});
    if (mqtt_) mqtt_->start();
    register_known_serial();
    client_.start();
    start_fetches();
    loop_.run();
    LOG_INFO("stopping");
    energy_.shutdown();
    return exit_code_;
}

void Daemon::fatal(const std::string& message, int exit_code) {
    LOG_ERROR(message);
    exit_code_ = exit_code;
    loop_.stop();
}

void Daemon::register_known_serial() {
    const bool configured = model::valid_serial(config_.envoy.serial);
    const std::optional<std::string> serial = configured ? config_.envoy.serial : last_serial_.stored();
    if (!serial) {
        LOG_INFO("no gateway serial known yet (no [ENVOY] serial, none in " << last_serial_.path()
                                                                            << "): the devices appear on D-Bus once the gateway answers");
        return;
    }
    LOG_INFO("gateway serial " << *serial << (configured ? " ([ENVOY] serial)" : " (the last one the gateway gave)")
                               << ": on D-Bus now, disconnected until the gateway answers");
    devices_.add_pv_inverter(*serial);
}

void Daemon::follow_serial(const std::string& serial) {
    if (serial.empty()) return;
    last_serial_.remember(serial);
    const std::string& registered = devices_.serial();
    if (serial == registered) return;
    if (!registered.empty()) {
        LOG_WARNING("the gateway answers with serial " << serial << ", the devices on D-Bus have " << registered
                                                       << " (a replaced gateway, or [ENVOY] serial is not this gateway's): "
                                                          "registering them again under "
                                                       << serial);
        if (limits_) limits_->detach();
        devices_.clear();
    }
    devices_.add_pv_inverter(serial);
}

void Daemon::on_status(const envoy::ClientStatus& status) {
    status_ = status;
    LOG_INFO("connection: " << status.connection());
    follow_serial(status.gateway.serial);
    if (auto* pv = devices_.pv()) {
        pv->show_identity(identity(devices_.serial(), config_.pv.device_instance));
        if (status.token) pv->set_token(status.token->expires, status.token->user);
    }
    if (auto* grid = devices_.grid()) grid->set_connection(status.connection());
    if (auto* battery = devices_.battery()) battery->set_connection(status.connection());
    if (limits_) limits_->on_status(status);
}

void Daemon::on_pv_ready(venus::PvInverter& pv) {
    if (limits_) limits_->attach(pv);
    if (status_ && status_->token) pv.set_token(status_->token->expires, status_->token->user);
    update_microinverters();
    if (!connected_) pv.set_disconnected();
}

std::string Daemon::hardware_version() const {
    int count = config_.pv.inverter_count;
    if (count <= 0 && client_.production() && client_.production()->inverters_active) count = *client_.production()->inverters_active;
    std::string type = config_.pv.inverter_type.empty() ? "microinverters" : config_.pv.inverter_type;
    return count > 0 ? std::to_string(count) + "x " + type : type;
}

std::string Daemon::connection() const {
    return status_ ? status_->connection() : config_.envoy.authority() + " (waiting for the gateway)";
}

venus::DeviceIdentity Daemon::identity(const std::string& serial, int default_instance) const {
    venus::DeviceIdentity identity;
    identity.serial = serial;
    identity.firmware = status_ ? status_->gateway.firmware : std::string();
    identity.hardware_version = hardware_version();
    identity.connection = connection();
    identity.process_name = "dbus-enphase-envoy";
    identity.process_version = EE_VERSION;
    identity.max_power = config_.pv.max;
    identity.default_instance = default_instance;
    return identity;
}

void Daemon::on_snapshot(const model::Snapshot& received) {
    model::Snapshot snapshot = received;
    energy_.apply(snapshot);
    connected_ = true;
    if (auto* pv = devices_.pv()) pv->publish(snapshot);
    if (config_.grid.enabled && snapshot.grid.present) {
        if (auto* grid = devices_.grid()) {
            grid->publish(snapshot);
        } else if (!devices_.grid_added() && !devices_.serial().empty()) {
            devices_.add_grid_meter();
        }
    }
    if (mqtt_) mqtt_->publish_meters(snapshot);
    // The storage CT comes with every sample: the battery's power and counters follow it.
    const bool had_storage = storage_.present;
    storage_ = snapshot.storage;
    if (storage_.present || had_storage) publish_battery();
}

void Daemon::on_lost() {
    connected_ = false;
    storage_ = model::MeterValues{};
    if (auto* pv = devices_.pv()) pv->set_disconnected();
    if (auto* grid = devices_.grid()) grid->set_disconnected();
    if (mqtt_) mqtt_->publish_meters_invalid();
    on_batteries_lost();
}

void Daemon::on_batteries(const model::Batteries& batteries) {
    if (batteries_seen_ != batteries.present()) {
        batteries_seen_ = batteries.present();
        const char* where = !config_.battery.enabled ? "MQTT" : mqtt_ ? "D-Bus and MQTT" : "D-Bus";
        if (*batteries_seen_) {
            LOG_INFO("batteries: " << batteries.units.size() << " IQ Batteries, "
                                   << (batteries.acb ? std::to_string(batteries.acb->active_count) : std::string("no"))
                                   << " AC Batteries; shown as one battery on " << where);
        } else {
            LOG_INFO("batteries: the gateway reports none; no battery on " << where);
        }
    }
    batteries_ = batteries;
    publish_battery();
}

void Daemon::on_batteries_lost() {
    if (!batteries_) return;
    batteries_.reset();
    if (auto* battery = devices_.battery()) battery->set_disconnected();
    if (mqtt_) mqtt_->publish_battery_invalid();
}

void Daemon::publish_battery() {
    if (!batteries_ || !batteries_->present()) return;
    const model::BatteryTotal total = envoy::battery_total(*batteries_, storage_);
    if (config_.battery.enabled) {
        if (auto* battery = devices_.battery()) {
            battery->publish(total);
        } else if (!devices_.battery_added() && !devices_.serial().empty()) {
            devices_.add_battery();
        }
    }
    if (mqtt_) mqtt_->publish_battery(total, *batteries_);
}

void Daemon::on_battery_ready(venus::Battery& battery) {
    battery.set_connection(connection());
    if (batteries_ && batteries_->present()) {
        battery.publish(envoy::battery_total(*batteries_, storage_));
    } else {
        battery.set_disconnected();
    }
}

void Daemon::start_fetches() {
    const auto& data = config_.data;
    using std::chrono::seconds;
    // Inverter reports are always fetched: they give the microinverter counts on D-Bus.
    fetches_.push_back(envoy::make_unit<model::InverterReports>(
        loop_, client_, envoy::kInverterReports, seconds(data.inverters.interval),
        [this](model::InverterReports reports) { on_inverter_reports(std::move(reports)); }));
    if (data.devices.enabled) {
        fetches_.push_back(envoy::make_unit<model::Devices>(loop_, client_, envoy::kInventory, seconds(data.devices.interval),
                                                            [this](model::Devices devices) {
                                                                inventory_inverters_ = static_cast<int>(devices.inverters.size());
                                                                update_microinverters();
                                                                if (mqtt_) mqtt_->publish_devices(devices, config_.data.devices.publish_always);
                                                            }));
    }
    if (data.events.enabled) {
        fetches_.push_back(envoy::make_unit<model::Events>(loop_, client_, envoy::kEvents, seconds(data.events.interval),
                                                           [this](model::Events events) {
                                                               if (mqtt_) mqtt_->publish_events(events, config_.data.events.publish_always);
                                                           }));
    }
    for (auto& fetch : fetches_) fetch->start(std::chrono::milliseconds(3000));
    // The batteries are read when something shows them: the battery service or the battery topic.
    if (config_.battery.enabled || mqtt_) {
        battery_reader_ = std::make_unique<envoy::BatteryReader>(
            loop_, client_,
            envoy::BatteryCallbacks{[this](const model::Batteries& batteries) { on_batteries(batteries); },
                                    [this] { on_batteries_lost(); }});
        battery_reader_->start(std::chrono::milliseconds(2000));
    }
}

void Daemon::on_inverter_reports(model::InverterReports reports) {
    if (mqtt_ && config_.data.inverters.enabled) {
        mqtt_->publish_inverters(reports, model::newest_report(reports), config_.data.inverters.publish_always);
    }
    inverter_reports_ = std::move(reports);
    update_microinverters();
}

void Daemon::update_microinverters() {
    auto* pv = devices_.pv();
    if (!pv || !inverter_reports_) return;
    const std::int64_t now = model::newest_report(*inverter_reports_);
    int reporting = 0;
    int producing = 0;
    for (const auto& report : *inverter_reports_) {
        if (now - report.last_report_date > kReportMaxAge) continue;
        ++reporting;
        if (report.last_report_watts > 0) ++producing;
    }
    int configured = config_.pv.inverter_count;
    if (configured <= 0) configured = inventory_inverters_.value_or(static_cast<int>(inverter_reports_->size()));
    pv->set_microinverters(configured, reporting, producing);
}

int run_daemon(const config::Config& config, ServiceSuffix suffix) {
    make_state_folders(config);
    loop::EventLoop loop;
    std::unique_ptr<Daemon> daemon;
    try {
        daemon = std::make_unique<Daemon>(loop, config, suffix);
    } catch (const busitem::BusError& error) {
        LOG_ERROR("D-Bus: " << error.what());
        return kExitFailure;
    } catch (const std::invalid_argument& error) {
        LOG_ERROR("[MQTT] " << error.what());
        return kExitConfig;
    }
    return daemon->run();
}

}  // namespace app
