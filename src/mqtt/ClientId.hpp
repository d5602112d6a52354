// mqtt: the id in the default client id "EnphaseEnvoyPV_<id>": this machine's unique id,
// read once at start-up without D-Bus so the broker connection never waits for it.
//
// Rule: the VRM portal id as Venus OS originally defines it, the MAC address of the onboard
// Ethernet port eth0 in lower case without colons (what the GX shows as its VRM portal ID);
// when that is missing or all zeros (containers, boards without eth0), the first 12
// characters of /etc/machine-id; else the host name; else "unknown".
#pragma once

#include <string>

namespace mqtt {

struct IdSources {
    std::string mac_file = "/sys/class/net/eth0/address";
    std::string machine_id_file = "/etc/machine-id";
};

std::string local_unique_id(const IdSources& sources = {});

}  // namespace mqtt
