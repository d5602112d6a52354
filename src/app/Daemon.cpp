// app: Daemon implementation — wiring of the gateway client to the sinks.
#include "app/Daemon.hpp"

#include <csignal>

#include "app/EnvoySettings.hpp"
#include "app/ExitCode.hpp"
#include "log/Log.hpp"
#include "mqtt/ClientId.hpp"

namespace app {
namespace {

constexpr std::int64_t kReportMaxAge = 1200;  // s: an older inverter report is not "reporting"

mqtt::Settings mqtt_settings(const config::Config::Mqtt& in) {
    mqtt::Settings out;
    out.host = in.broker_address;
    out.port = in.broker_port;
    out.username = in.username;
    out.password = in.password;
    out.tls_enabled = in.tls_enabled;
    out.ca_file = in.tls_path_to_ca;
    out.tls_insecure = in.tls_insecure;
    out.client_id = in.client_id.empty() ? mqtt::default_client_id(mqtt::local_unique_id()) : in.client_id;
    out.retain = in.retain;
    out.topic_availability = in.topic_availability;
    out.topic_meters = in.topic_meters;
    out.topic_devices = in.topic_devices;
    out.topic_inverters = in.topic_inverters;
    out.topic_events = in.topic_events;
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

Daemon::Daemon(loop::EventLoop& loop, const config::Config& config)
    : loop_(loop),
      config_(config),
      state_file_(config.energy.state_dir + "/device-settings.json"),
      bus_(loop),
      energy_(loop, energy_settings(config)),
      client_(loop, envoy_settings(config),
              envoy::ClientCallbacks{[this](const model::Snapshot& s) { on_snapshot(s); }, [this] { on_lost(); },
                                     [this](const envoy::ClientStatus& s) { on_status(s); },
                                     [this](const std::string& message) { fatal(message, kExitConfig); }}) {
    if (config.mqtt.enabled) mqtt_ = std::make_unique<mqtt::Publisher>(loop, mqtt_settings(config.mqtt));
    // Everything registered on the bus is gone with the connection: a fresh process (started by
    // the supervisor) registers it again.
    bus_.on_lost([this] { fatal("D-Bus: exiting so that the service is registered again", kExitFailure); });
}

Daemon::~Daemon() {
    fetches_.clear();
    if (mqtt_) mqtt_->shutdown();
}

int Daemon::run() {
    loop_.on_signal(SIGINT, [this] { loop_.stop(); });
    loop_.on_signal(SIGTERM, [this] { loop_.stop(); });
    loop_.on_signal(SIGPIPE, [] {});
    if (mqtt_) mqtt_->start();
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

void Daemon::on_status(const envoy::ClientStatus& status) {
    bool first = !status_;
    status_ = status;
    LOG_INFO("connection: " << status.connection());
    if (first) {
        create_pv_inverter();
        return;
    }
    if (pv_) {
        pv_->set_connection(status.connection());
        if (status.token) pv_->set_token(status.token->expires, status.token->user);
    }
    if (grid_) grid_->set_connection(status.connection());
}

std::string Daemon::hardware_version() const {
    int count = config_.pv.inverter_count;
    if (count <= 0 && client_.production() && client_.production()->inverters_active) count = *client_.production()->inverters_active;
    std::string type = config_.pv.inverter_type.empty() ? "microinverters" : config_.pv.inverter_type;
    return count > 0 ? std::to_string(count) + "x " + type : type;
}

venus::DeviceIdentity Daemon::identity(int default_instance) const {
    venus::DeviceIdentity identity;
    identity.serial = status_->gateway.serial;
    identity.firmware = status_->gateway.firmware;
    identity.hardware_version = hardware_version();
    identity.connection = status_->connection();
    identity.process_name = "dbus-enphase-envoy";
    identity.process_version = EE_VERSION;
    identity.max_power = config_.pv.max;
    identity.default_instance = default_instance;
    return identity;
}

bool Daemon::claim(const std::function<void()>& create_service) {
    try {
        create_service();
        return true;
    } catch (const busitem::NameTaken& error) {
        fatal(error.what(), kExitNameTaken);
    } catch (const busitem::BusError& error) {
        fatal(std::string("D-Bus: ") + error.what(), kExitFailure);
    }
    return false;
}

void Daemon::create_pv_inverter() {
    auto settings = venus::pv_inverter_settings(status_->gateway.serial, config_.pv.device_instance, state_file_);
    settings.default_position = config_.pv.position;
    settings.default_custom_name = config_.pv.custom_name;
    pv_settings_ = std::make_unique<busitem::DeviceSettings>(bus_, std::move(settings));
    pv_settings_->on_change([this] {
        if (pv_) pv_->show_settings();
    });
    pv_settings_->start([this] {
        if (!claim([this] { pv_ = std::make_unique<venus::PvInverter>(bus_, identity(config_.pv.device_instance), *pv_settings_); })) {
            return;
        }
        LOG_INFO("on D-Bus as " << venus::kPvInverterServiceName << ", device instance " << pv_settings_->instance()
                                << (pv_settings_->from_settings_service() ? " (from the settings service)" : " (configured)"));
        if (status_->token) pv_->set_token(status_->token->expires, status_->token->user);
        update_microinverters();
        if (!connected_) pv_->set_disconnected();
    });
}

void Daemon::create_grid_meter() {
    auto settings = venus::grid_meter_settings(status_->gateway.serial, config_.grid.device_instance, state_file_);
    grid_settings_ = std::make_unique<busitem::DeviceSettings>(bus_, std::move(settings));
    grid_settings_->on_change([this] {
        if (grid_) grid_->show_settings();
    });
    grid_settings_->start([this] {
        if (!claim([this] { grid_ = std::make_unique<venus::GridMeter>(bus_, identity(config_.grid.device_instance), *grid_settings_); })) {
            return;
        }
        LOG_INFO("on D-Bus as " << venus::kGridMeterServiceName << ", device instance " << grid_settings_->instance());
        if (!connected_) grid_->set_disconnected();
    });
}

void Daemon::on_snapshot(const model::Snapshot& received) {
    model::Snapshot snapshot = received;
    energy_.apply(snapshot);
    connected_ = true;
    if (pv_) pv_->publish(snapshot);
    if (config_.grid.enabled && snapshot.grid.present) {
        if (grid_) {
            grid_->publish(snapshot);
        } else if (!grid_settings_ && status_) {
            create_grid_meter();
        }
    }
    if (mqtt_) mqtt_->publish_meters(snapshot);
}

void Daemon::on_lost() {
    connected_ = false;
    if (pv_) pv_->set_disconnected();
    if (grid_) grid_->set_disconnected();
    if (mqtt_) mqtt_->publish_meters_invalid();
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
}

void Daemon::on_inverter_reports(model::InverterReports reports) {
    if (mqtt_ && config_.data.inverters.enabled) {
        mqtt_->publish_inverters(reports, model::newest_report(reports), config_.data.inverters.publish_always);
    }
    inverter_reports_ = std::move(reports);
    update_microinverters();
}

void Daemon::update_microinverters() {
    if (!pv_ || !inverter_reports_) return;
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
    pv_->set_microinverters(configured, reporting, producing);
}

int run_daemon(const config::Config& config) {
    loop::EventLoop loop;
    std::unique_ptr<Daemon> daemon;
    try {
        daemon = std::make_unique<Daemon>(loop, config);
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
