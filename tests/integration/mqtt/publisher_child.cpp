// tests/integration/mqtt: a Publisher in its own process, for the tests that kill it or read its log.
//
// Arguments are key=value: port, user, password, tls (1), cafile, log (debug). It prints
// "child: connected" once the broker accepted it, publishes one meters payload, and runs
// until SIGTERM (clean shutdown) or until it is killed.
#include <csignal>
#include <cstdio>
#include <map>
#include <string>

#include "log/Log.hpp"
#include "loop/EventLoop.hpp"
#include "mqtt/Publisher.hpp"

int main(int argc, char** argv) {
    std::map<std::string, std::string> args;
    for (int i = 1; i < argc; ++i) {
        std::string arg = argv[i];
        auto equals = arg.find('=');
        if (equals != std::string::npos) args[arg.substr(0, equals)] = arg.substr(equals + 1);
    }
    logging::set_level(args["log"] == "debug" ? logging::Level::Debug : logging::Level::Info);

    mqtt::Settings settings;
    settings.host = "127.0.0.1";
    settings.port = std::stoi(args["port"]);
    settings.client_id = mqtt::default_client_id("child");
    settings.username = args["user"];
    settings.password = args["password"];
    settings.tls_enabled = args["tls"] == "1";
    settings.ca_file = args["cafile"];

    loop::EventLoop loop;
    mqtt::Publisher publisher(loop, settings);
    loop.on_signal(SIGTERM, [&] {
        publisher.shutdown();
        loop.stop();
    });
    publisher.start();

    model::Snapshot snapshot;
    snapshot.pv.present = true;
    snapshot.pv.phase_count = 1;
    snapshot.pv.phases[0].power = 123;
    snapshot.pv.total.power = 123;
    bool announced = false;
    loop::Timer poll(loop);
    std::function<void()> check = [&] {
        if (publisher.connected() && !announced) {
            announced = true;
            std::fprintf(stderr, "child: connected\n");
            publisher.publish_meters(snapshot);
        }
        poll.start(std::chrono::milliseconds(20), check);
    };
    check();
    loop.run();
    std::fprintf(stderr, "child: stopped\n");
    return 0;
}
