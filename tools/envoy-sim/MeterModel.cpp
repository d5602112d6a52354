// envoy-sim: meter values = capture value * (1 + slow sinusoid + small noise), per meter and
// phase, then the production limit; energy counters integrate the noise-free power in small steps.
#include "MeterModel.hpp"

#include <chrono>
#include <cmath>
#include <ctime>
#include <random>

namespace sim {

namespace {

// The part of the total power each used phase carries in the capture (equal parts without power).
template <class Meter>
void set_shares(Meter& m) {
    const std::size_t used = std::min(m.channels.size(), static_cast<std::size_t>(std::max(m.phase_count, 0)));
    double total = 0;
    for (std::size_t i = 0; i < used; ++i) total += m.channels[i].p;
    for (std::size_t i = 0; i < used; ++i) {
        m.channels[i].share = total != 0.0 ? m.channels[i].p / total : 1.0 / static_cast<double>(used);
    }
}

constexpr double kPi = 3.14159265358979323846;
constexpr double kSwing = 0.05;     // relative amplitude of the slow sinusoid
constexpr double kNoise = 0.01;     // relative amplitude of the per-sample noise
constexpr double kPeriodS = 40.0;   // period of the slow sinusoid
constexpr double kStepS = 0.1;      // integration step of the energy counters
const char* const kPhaseKeys[] = {"ph-a", "ph-b", "ph-c"};

double num(const nlohmann::ordered_json& j, const char* key) {
    if (!j.is_object() || !j.contains(key)) return 0.0;
    const auto& v = j[key];
    if (v.is_number()) return v.get<double>();
    if (v.is_string()) {
        try {
            return std::stod(v.get<std::string>());
        } catch (const std::exception&) {
            return 0.0;
        }
    }
    return 0.0;
}

double round3(double x) {
    double r = std::round(x * 1000.0) / 1000.0;
    return r == 0.0 ? 0.0 : r;
}

double noise() {
    thread_local std::mt19937 gen{std::random_device{}()};
    thread_local std::uniform_real_distribution<double> dist(-kNoise, kNoise);
    return dist(gen);
}

PhaseSample finish(double p, double q, double s_min, double v, double f) {
    PhaseSample out;
    out.p = p;
    out.q = q;
    out.s = std::max(std::abs(s_min), std::hypot(p, q));
    out.v = v;
    out.i = v > 1.0 ? out.s / v : 0.0;
    out.pf = out.s > 0.0 ? p / out.s : 0.0;
    out.f = f;
    return out;
}

PhaseSample combine(const PhaseSample& a, const PhaseSample& b, double sign) {
    double v = a.v > 1.0 ? a.v : b.v;
    return finish(a.p + sign * b.p, a.q + sign * b.q, 0.0, v, a.f > 0 ? a.f : b.f);
}

nlohmann::ordered_json phase_json(const PhaseSample& s) {
    return {{"p", round3(s.p)}, {"q", round3(s.q)}, {"s", round3(s.s)}, {"v", round3(s.v)},
            {"i", round3(s.i)}, {"pf", round3(s.pf)}, {"f", round3(s.f)}};
}

}  // namespace

MeterModel::MeterModel(const nlohmann::ordered_json& meters, const nlohmann::ordered_json& readings, bool animated,
                       const LimitModel* limit, const BatteryModel* battery)
    : start_(std::chrono::steady_clock::now()), animated_(animated), limit_(limit), battery_(battery) {
    if (!readings.is_array()) return;
    for (const auto& r : readings) {
        if (!r.is_object()) continue;
        Meter m;
        m.original = r;
        m.dlvd = num(r, "actEnergyDlvd");
        m.rcvd = num(r, "actEnergyRcvd");
        m.apparent = num(r, "apparentEnergy");
        if (r.contains("channels") && r["channels"].is_array()) {
            for (const auto& c : r["channels"]) {
                Channel ch;
                ch.p = num(c, "activePower");
                ch.q = num(c, "reactivePower");
                ch.s = num(c, "apparentPower");
                ch.v = num(c, "voltage");
                ch.f = num(c, "freq");
                ch.dlvd = num(c, "actEnergyDlvd");
                ch.rcvd = num(c, "actEnergyRcvd");
                ch.apparent = num(c, "apparentEnergy");
                m.channels.push_back(ch);
            }
        }
        m.phase_count = static_cast<int>(m.channels.size());
        if (meters.is_array()) {
            for (const auto& cfg : meters) {
                if (cfg.is_object() && cfg.contains("eid") && r.contains("eid") && cfg["eid"] == r["eid"]) {
                    m.type = cfg.value("measurementType", "");
                    m.enabled = cfg.value("state", "") == "enabled";
                    if (cfg.contains("phaseCount") && cfg["phaseCount"].is_number_integer()) {
                        m.phase_count = cfg["phaseCount"].get<int>();
                    }
                }
            }
        }
        set_shares(m);
        meters_.push_back(std::move(m));
    }
}

double MeterModel::now_s() const {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
}

bool MeterModel::can_stream() const {
    for (const auto& m : meters_) {
        if (m.enabled && !m.channels.empty() &&
            (m.type == "production" || m.type == "net-consumption" || m.type == "total-consumption")) {
            return true;
        }
    }
    return false;
}

PhaseSample MeterModel::sample(std::size_t meter, std::size_t channel, double t, bool noisy) const {
    const Meter& m = meters_[meter];
    if (channel >= m.channels.size()) return {};
    const Channel& c = m.channels[channel];
    double angle = 2.0 * kPi * t / kPeriodS + 1.3 * static_cast<double>(meter) + 2.1 * static_cast<double>(channel);
    double k = animated_ ? 1.0 + kSwing * std::sin(angle) + (noisy ? noise() : 0.0) : 1.0;
    double kv = animated_ ? 1.0 + 0.003 * std::sin(angle * 0.5) + (noisy ? noise() * 0.1 : 0.0) : 1.0;
    if (static_cast<int>(channel) >= m.phase_count) {
        PhaseSample unused;
        unused.v = c.v * kv;
        unused.f = c.f;
        return unused;
    }
    if (battery_ && battery_->modelled() && m.enabled && m.type == "storage") {
        const double p = battery_->power_w(clock_at(t)) * c.share;
        const double q = c.p != 0.0 ? c.q * p / c.p : 0.0;
        return finish(p, q, 0.0, c.v * kv, c.f);
    }
    return finish(c.p * k, c.q * k, std::abs(c.s) * k, c.v * kv, c.f);
}

void MeterModel::advance_energy(double t) {
    if (t <= energy_t_ || !animated_) return;
    double step = std::max(kStepS, (t - energy_t_) / 6000.0);
    while (energy_t_ < t) {
        double dt = std::min(step, t - energy_t_);
        const Frame f = frame(energy_t_ + dt / 2.0, false);
        for (std::size_t mi = 0; mi < meters_.size(); ++mi) {
            Meter& m = meters_[mi];
            double total_p = 0, total_s = 0;
            for (std::size_t ci = 0; ci < m.channels.size(); ++ci) {
                const PhaseSample& s = f[mi][ci];
                Channel& c = m.channels[ci];
                (s.p >= 0 ? c.dlvd : c.rcvd) += std::abs(s.p) * dt / 3600.0;
                c.apparent += s.s * dt / 3600.0;
                total_p += s.p;
                total_s += s.s;
            }
            (total_p >= 0 ? m.dlvd : m.rcvd) += std::abs(total_p) * dt / 3600.0;
            m.apparent += total_s * dt / 3600.0;
        }
        energy_t_ += dt;
    }
}

MeterModel::Frame MeterModel::frame(double t, bool noisy, bool limited) const {
    Frame f(meters_.size());
    for (std::size_t mi = 0; mi < meters_.size(); ++mi) {
        for (std::size_t ci = 0; ci < meters_[mi].channels.size(); ++ci) f[mi].push_back(sample(mi, ci, t, noisy));
    }
    if (limited) apply_limit(f, t);
    return f;
}

MeterModel::Natural MeterModel::natural_of(const Frame& f) const {
    std::size_t pi = 0, ni = 0, ti = 0;
    Natural out;
    auto sum = [&f](std::size_t meter) {
        double p = 0;
        for (const auto& s : f[meter]) p += s.p;
        return p;
    };
    out.has_production = enabled_meter("production", &pi) != nullptr;
    if (out.has_production) out.production_w = sum(pi);
    if (enabled_meter("total-consumption", &ti)) {
        out.consumption_w = sum(ti);
    } else if (out.has_production && enabled_meter("net-consumption", &ni)) {
        out.consumption_w = out.production_w + sum(ni);
    }
    return out;
}

void MeterModel::apply_limit(Frame& f, double t) const {
    std::size_t pi = 0, ni = 0;
    if (!limit_ || !enabled_meter("production", &pi)) return;
    const Natural natural = natural_of(f);
    const auto cap = limit_->cap(clock_at(t), natural.production_w, natural.consumption_w);
    if (!cap || natural.production_w <= *cap) return;
    const double k = std::max(0.0, *cap) / natural.production_w;
    const bool has_net = enabled_meter("net-consumption", &ni) != nullptr;
    for (std::size_t ci = 0; ci < f[pi].size(); ++ci) {
        const PhaseSample before = f[pi][ci];
        f[pi][ci] = finish(before.p * k, before.q * k, before.s * k, before.v, before.f);
        if (!has_net || ci >= f[ni].size()) continue;
        const PhaseSample& n = f[ni][ci];
        f[ni][ci] = finish(n.p + before.p - f[pi][ci].p, n.q + before.q - f[pi][ci].q, 0.0, n.v, n.f);
    }
}

MeterModel::Natural MeterModel::natural() const {
    std::lock_guard lock(mutex_);
    return natural_of(frame(now_s(), false, false));
}

void MeterModel::settle_energy() {
    std::lock_guard lock(mutex_);
    advance_energy(now_s());
}

std::chrono::steady_clock::time_point MeterModel::clock_at(double t) const {
    return start_ + std::chrono::duration_cast<std::chrono::steady_clock::duration>(std::chrono::duration<double>(t));
}

const MeterModel::Meter* MeterModel::enabled_meter(const std::string& type, std::size_t* index) const {
    for (std::size_t i = 0; i < meters_.size(); ++i) {
        if (meters_[i].enabled && meters_[i].type == type && !meters_[i].channels.empty()) {
            *index = i;
            return &meters_[i];
        }
    }
    return nullptr;
}

nlohmann::ordered_json MeterModel::stream_event() {
    std::lock_guard lock(mutex_);
    const Frame f = frame(now_s(), true);
    std::size_t pi = 0, ni = 0, ti = 0;
    const Meter* prod = enabled_meter("production", &pi);
    const Meter* net = enabled_meter("net-consumption", &ni);
    const Meter* total = enabled_meter("total-consumption", &ti);
    auto at = [&f](const Meter* meter, std::size_t index, std::size_t ph) {
        return meter && ph < f[index].size() ? f[index][ph] : PhaseSample{};
    };
    nlohmann::ordered_json event = nlohmann::ordered_json::object();
    nlohmann::ordered_json prod_j, net_j, total_j;
    for (std::size_t ph = 0; ph < 3; ++ph) {
        PhaseSample p = at(prod, pi, ph);
        PhaseSample n = at(net, ni, ph);
        PhaseSample c = at(total, ti, ph);
        if (prod && net && !total) c = combine(p, n, +1.0);
        if (prod && total && !net) n = combine(c, p, -1.0);
        prod_j[kPhaseKeys[ph]] = phase_json(p);
        net_j[kPhaseKeys[ph]] = phase_json(n);
        total_j[kPhaseKeys[ph]] = phase_json(c);
    }
    if (prod) event["production"] = prod_j;
    if (net || (prod && total)) event["net-consumption"] = net_j;
    if (total || (prod && net)) event["total-consumption"] = total_j;
    return event;
}

nlohmann::ordered_json MeterModel::readings() {
    std::lock_guard lock(mutex_);
    double t = now_s();
    advance_energy(t);
    const Frame values = frame(t, true);
    auto epoch = static_cast<long long>(std::time(nullptr));
    nlohmann::ordered_json out = nlohmann::ordered_json::array();
    for (std::size_t mi = 0; mi < meters_.size(); ++mi) {
        const Meter& m = meters_[mi];
        nlohmann::ordered_json entry = m.original;
        PhaseSample sum;
        double v_sum = 0, f = 0;
        int v_count = 0;
        nlohmann::ordered_json channels = nlohmann::ordered_json::array();
        for (std::size_t ci = 0; ci < m.channels.size(); ++ci) {
            const PhaseSample& s = values[mi][ci];
            const Channel& c = m.channels[ci];
            nlohmann::ordered_json ch = m.original["channels"][ci];
            ch["timestamp"] = epoch;
            ch["actEnergyDlvd"] = round3(c.dlvd);
            ch["actEnergyRcvd"] = round3(c.rcvd);
            ch["apparentEnergy"] = round3(c.apparent);
            ch["instantaneousDemand"] = round3(s.p);
            ch["activePower"] = round3(s.p);
            ch["apparentPower"] = round3(s.s);
            ch["reactivePower"] = round3(s.q);
            ch["pwrFactor"] = round3(s.pf);
            ch["voltage"] = round3(s.v);
            ch["current"] = round3(s.i);
            ch["freq"] = round3(s.f);
            channels.push_back(std::move(ch));
            sum.p += s.p;
            sum.q += s.q;
            sum.s += s.s;
            sum.i += s.i;
            if (static_cast<int>(ci) < m.phase_count && s.v > 50.0) {
                v_sum += s.v;
                ++v_count;
            }
            if (f == 0) f = s.f;
        }
        entry["timestamp"] = epoch;
        entry["actEnergyDlvd"] = round3(m.dlvd);
        entry["actEnergyRcvd"] = round3(m.rcvd);
        entry["apparentEnergy"] = round3(m.apparent);
        entry["instantaneousDemand"] = round3(sum.p);
        entry["activePower"] = round3(sum.p);
        entry["apparentPower"] = round3(sum.s);
        entry["reactivePower"] = round3(sum.q);
        entry["pwrFactor"] = round3(sum.s > 0 ? sum.p / sum.s : 0.0);
        double first_v = m.channels.empty() ? num(m.original, "voltage") : sample(mi, 0, t, false).v;
        entry["voltage"] = round3(v_count ? v_sum / v_count : first_v);
        entry["current"] = round3(sum.i);
        entry["freq"] = round3(f);
        if (m.original.contains("channels")) entry["channels"] = std::move(channels);
        out.push_back(std::move(entry));
    }
    return out;
}

double MeterModel::production_power(const nlohmann::ordered_json& event) {
    if (!event.contains("production")) return 0.0;
    double p = 0;
    for (const char* key : kPhaseKeys) p += event["production"][key].value("p", 0.0);
    return p;
}

}  // namespace sim
