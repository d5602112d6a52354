// envoy: the batteries' endpoint unit of the [DATA] fetches. It reads, through the gateway
// client, /ivp/ensemble/inventory (every kInventoryInterval), /ivp/ensemble/power and
// /ivp/ensemble/secctrl (every kPowerInterval) and production.json's AC Battery entry, merges
// them into one model::Batteries and hands it on after each complete round.
//
// Which endpoints the gateway has is found once per connection (EndpointPresence): a 404 or 401
// before an endpoint ever answered means it is not there (a 401 is said to mean that the account,
// an owner token, cannot read it) and it is not asked again until the gateway is probed again.
// production.json is read in every round only while it reports active AC Batteries; without,
// it is read again with the inventory, to notice them arrive. While the inventory lists no IQ
// Battery and there are no AC Batteries (most gateways), power and secctrl are not asked: such a
// gateway costs one round of two requests a minute. A round in which an endpoint the
// gateway has fails (no answer, an HTTP error, a body that does not parse) makes the values
// unknown: on_lost() once, one log line, and the next round comes after kPowerInterval.
//
// The batteries handed on may be empty (Batteries::present() false): the gateway has none, and
// no battery should be shown. Powers are in Venus's sign (positive = charging).
#pragma once

#include <array>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "envoy/Client.hpp"
#include "envoy/EndpointPresence.hpp"
#include "loop/EventLoop.hpp"
#include "model/Battery.hpp"

namespace envoy {

struct BatteryCallbacks {
    std::function<void(const model::Batteries&)> on_batteries;  // after each complete round
    std::function<void()> on_lost;                              // a round failed: values unknown now
};

class BatteryReader {
public:
    static constexpr std::chrono::seconds kPowerInterval{10};      // power, secctrl (and ACBs)
    static constexpr std::chrono::seconds kInventoryInterval{60};  // inventory (and ACB discovery)

    BatteryReader(loop::EventLoop& loop, Client& client, BatteryCallbacks callbacks);
    ~BatteryReader();
    BatteryReader(const BatteryReader&) = delete;
    BatteryReader& operator=(const BatteryReader&) = delete;

    // The first round after first_delay.
    void start(std::chrono::milliseconds first_delay);

private:
    enum Step : std::size_t { Inventory, Production, Power, Secctrl, kSteps };

    void round();
    void next_step();
    bool wanted(Step step) const;
    void on_response(Step step, HttpResponse&& response);
    void read(Step step, std::string_view body);
    void forget(Step step);
    void finish_round();

    Client& client_;
    BatteryCallbacks callbacks_;
    loop::Timer timer_;
    std::array<EndpointPresence, kSteps> presence_{};
    std::size_t step_ = kSteps;               // the step under way in this round
    bool inventory_due_ = true;
    std::optional<loop::Clock::time_point> inventory_at_;
    bool acb_seen_ = false;                   // production.json's last answer had AC Batteries
    bool inventory_empty_ = false;            // the inventory's last answer listed no IQ Battery
    std::vector<model::BatteryUnit> inventory_;
    std::vector<model::BatteryUnit> units_;   // the inventory with this round's /ivp/ensemble/power
    bool power_read_ = false;                 // /ivp/ensemble/power answered in this round
    model::Batteries batteries_;
    std::optional<std::string> failure_;      // what failed in this round
    bool failing_ = false;                    // the previous round failed (said once)
    bool had_data_ = false;                   // on_batteries was called since the last on_lost
    std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace envoy
