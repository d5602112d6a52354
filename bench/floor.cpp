// bench: ee-bench-floor — the memory floor of the daemon's shared libraries. It links the same
// libraries as dbus-enphase-envoy (libcurl, libdbus-1, libmosquitto and what they pull in) and
// brings each one to the state the daemon keeps it in: libcurl initialised with one HTTPS
// connection to the gateway kept open (OpenSSL loaded, a TLS session), a D-Bus connection, and a
// connected MQTT client with its network thread. Then it idles until SIGTERM. bench/run.sh
// measures its resident memory next to the daemon's: what the daemon uses above this floor is
// the memory its own code and data cost; the floor itself is the host's libraries.
//
// Usage: ee-bench-floor GATEWAY_URL BROKER_PORT   (bus: DBUS_SESSION_BUS_ADDRESS)
// Prints "ready" once all three are connected, "error: ..." and exits 1 otherwise.
#include <curl/curl.h>
#include <dbus/dbus.h>
#include <mosquitto.h>

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <unistd.h>

#include "envoy/CurlHandles.hpp"
#include "mqtt/MosquittoHandle.hpp"

namespace {

size_t discard(char*, size_t size, size_t count, void*) { return size * count; }

int fail(const char* what) {
    std::printf("error: %s\n", what);
    return 1;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 3) return fail("usage: ee-bench-floor GATEWAY_URL BROKER_PORT");
    sigset_t term;
    sigemptyset(&term);
    sigaddset(&term, SIGTERM);
    sigaddset(&term, SIGINT);
    pthread_sigmask(SIG_BLOCK, &term, nullptr);  // before the MQTT thread starts: it inherits the mask

    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) return fail("curl_global_init");
    const envoy::curl::Easy gateway(curl_easy_init());
    curl_easy_setopt(gateway.get(), CURLOPT_URL, argv[1]);
    curl_easy_setopt(gateway.get(), CURLOPT_SSL_VERIFYPEER, 0L);
    curl_easy_setopt(gateway.get(), CURLOPT_SSL_VERIFYHOST, 0L);
    curl_easy_setopt(gateway.get(), CURLOPT_WRITEFUNCTION, discard);
    if (curl_easy_perform(gateway.get()) != CURLE_OK) return fail("the gateway request failed");

    DBusError error;
    dbus_error_init(&error);
    DBusConnection* bus = dbus_bus_get_private(DBUS_BUS_SESSION, &error);
    if (bus == nullptr) return fail("no D-Bus session bus");

    mosquitto_lib_init();
    const mqtt::MosquittoHandle broker(mosquitto_new("ee-bench-floor", true, nullptr));
    if (broker == nullptr || mosquitto_connect(broker.get(), "127.0.0.1", std::atoi(argv[2]), 60) != MOSQ_ERR_SUCCESS)
        return fail("cannot connect to the broker");
    if (mosquitto_loop_start(broker.get()) != MOSQ_ERR_SUCCESS) return fail("mosquitto_loop_start");

    std::printf("ready\n");
    std::fflush(stdout);
    int signal = 0;
    sigwait(&term, &signal);

    mosquitto_disconnect(broker.get());
    mosquitto_loop_stop(broker.get(), false);
    dbus_connection_close(bus);
    dbus_connection_unref(bus);
    return 0;
}
