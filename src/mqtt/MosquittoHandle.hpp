// mqtt: an owned libmosquitto client, destroyed exactly once by its owner. Header-only; the MQTT
// tests' subscriber and the benchmark use it too.
#pragma once

#include <mosquitto.h>

#include <memory>

namespace mqtt {

struct MosquittoDestroy {
    void operator()(struct mosquitto* client) const { mosquitto_destroy(client); }
};

using MosquittoHandle = std::unique_ptr<struct mosquitto, MosquittoDestroy>;

}  // namespace mqtt
