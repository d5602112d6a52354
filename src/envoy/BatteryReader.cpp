// envoy: BatteryReader implementation: one round = the endpoints due, one after the other.
#include "envoy/BatteryReader.hpp"

#include "envoy/parsers/Ensemble.hpp"
#include "envoy/parsers/ParseError.hpp"
#include "log/Log.hpp"

namespace envoy {
namespace {

constexpr std::array<std::string_view, 4> kPaths = {"/ivp/ensemble/inventory", "/production.json",
                                                    "/ivp/ensemble/power", "/ivp/ensemble/secctrl"};

}  // namespace

BatteryReader::BatteryReader(loop::EventLoop& loop, Client& client, BatteryCallbacks callbacks)
    : client_(client), callbacks_(std::move(callbacks)), timer_(loop) {}

BatteryReader::~BatteryReader() { *alive_ = false; }

void BatteryReader::start(std::chrono::milliseconds first_delay) {
    timer_.start(first_delay, [this] { round(); });
}

void BatteryReader::round() {
    if (!client_.ready()) {  // the client says why; the values are unknown meanwhile
        if (had_data_ && callbacks_.on_lost) callbacks_.on_lost();
        had_data_ = false;
        inventory_at_.reset();
        timer_.start(kPowerInterval, [this] { round(); });
        return;
    }
    const auto now = loop::Clock::now();
    inventory_due_ = !inventory_at_ || now - *inventory_at_ >= kInventoryInterval;
    if (inventory_due_) inventory_at_ = now;
    failure_.reset();
    power_read_ = false;
    step_ = 0;
    next_step();
}

bool BatteryReader::wanted(Step step) const {
    if (step == Inventory || step == Production) {
        if (step == Production && acb_seen_) return true;
        return inventory_due_;
    }
    return !inventory_empty_ || acb_seen_;  // Power, Secctrl: only where there are batteries
}

void BatteryReader::next_step() {
    while (step_ < kSteps) {
        const auto step = static_cast<Step>(step_);
        if (wanted(step) && presence_[step].worth_asking(client_.connections())) {
            client_.fetch(std::string(kPaths[step]), [this, step, alive = alive_](HttpResponse&& response) {
                if (*alive) on_response(step, std::move(response));
            });
            return;
        }
        // Not there, or (power, secctrl) not asked on a gateway without batteries: nothing stale stays.
        if (!presence_[step].worth_asking(client_.connections()) || ((step == Power || step == Secctrl) && !wanted(step))) {
            forget(step);
        }
        ++step_;
    }
    finish_round();
}

void BatteryReader::on_response(Step step, HttpResponse&& response) {
    const long status = response.error.empty() ? response.status : 0;
    if (presence_[step].absent_after(status, client_.connections())) {
        if (status == 401) {
            LOG_INFO(kPaths[step] << ": the gateway refuses it to this account (HTTP 401; an installer token may "
                                     "be needed); batteries are read without it");
        } else {
            LOG_INFO(kPaths[step] << ": the gateway does not offer it (" << response.describe() << ")");
        }
        forget(step);
    } else if (!response.ok()) {
        if (!failure_) failure_ = std::string(kPaths[step]) + ": " + response.describe();
    } else {
        try {
            read(step, response.body);
        } catch (const parse::ParseError& error) {
            if (!failure_) failure_ = error.what();
        }
    }
    ++step_;
    next_step();
}

void BatteryReader::read(Step step, std::string_view body) {
    switch (step) {
        case Inventory:
            inventory_ = parse::ensemble_inventory(body);
            inventory_empty_ = inventory_.empty();
            break;
        case Power:  // the inventory of this round, if due, is read already: it is the first step
            units_ = inventory_;
            parse::ensemble_power(body, units_);
            power_read_ = true;
            break;
        case Secctrl: batteries_.aggregate = parse::ensemble_secctrl(body); break;
        case Production:
            batteries_.acb = parse::ac_battery(body);
            acb_seen_ = batteries_.acb.has_value();
            break;
        case kSteps: break;
    }
}

void BatteryReader::forget(Step step) {
    switch (step) {
        case Inventory:
            inventory_.clear();
            inventory_empty_ = false;
            break;
        case Power: units_.clear(); break;
        case Secctrl: batteries_.aggregate.reset(); break;
        case Production:
            batteries_.acb.reset();
            acb_seen_ = false;
            break;
        case kSteps: break;
    }
}

void BatteryReader::finish_round() {
    step_ = kSteps;
    if (failure_) {
        if (!failing_) LOG_WARNING("batteries: " << *failure_ << "; their values are unknown until it answers");
        else LOG_DEBUG("batteries: " << *failure_);
        failing_ = true;
        inventory_at_.reset();  // read the inventory again with the next round
        if (had_data_ && callbacks_.on_lost) callbacks_.on_lost();
        had_data_ = false;
    } else {
        if (failing_) LOG_INFO("batteries: read again");
        failing_ = false;
        batteries_.units = power_read_ ? units_ : inventory_;
        had_data_ = true;
        if (callbacks_.on_batteries) callbacks_.on_batteries(batteries_);
    }
    timer_.start(kPowerInterval, [this] { round(); });
}

}  // namespace envoy
