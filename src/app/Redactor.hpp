// app: Redactor — removes what identifies a site from a gateway capture (dbus-enphase-envoy
// --capture) while keeping the capture coherent.
//
// learn() is given every recorded answer first; it collects the serial numbers they name (the
// gateway's /info <sn>, and the JSON fields serial_num, serialNumber, serial and sn at any
// depth). redact() then replaces, in any text:
//   - the secrets given at construction (token, passwords) and anything shaped like a JWT by
//     "REDACTED";
//   - each learned serial, wherever it stands as a whole word, by a fake of the same length and
//     kind (digits stay digits), the same fake for the same serial everywhere;
//   - e-mail addresses by userN@example.com, MAC addresses by 02:00:00:00:00:NN, IPv6 addresses
//     by 2001:db8::N and IPv4 addresses by 192.0.2.N (loopback, 0.0.0.0, link-local and netmasks
//     stay), again the same replacement for the same original.
// Pure: no I/O.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace app {

class Redactor {
public:
    explicit Redactor(std::vector<std::string> secrets);

    void learn(std::string_view body);
    std::string redact(std::string_view text);

    // The serials learned so far, longest first.
    const std::vector<std::string>& serials() const { return serials_; }

private:
    void add_serial(std::string serial);
    std::string replace_serials(std::string text) const;
    std::string fake_for(std::map<std::string, std::string>& table, const std::string& original,
                         std::string (*make)(std::size_t index));

    std::vector<std::string> secrets_;
    std::vector<std::string> serials_;
    std::map<std::string, std::string> serial_fakes_;
    std::map<std::string, std::string> emails_, macs_, ipv6_, ipv4_;
};

}  // namespace app
