// envoy-sim: entry point. Parses the command line, prints a token or starts the simulated
// gateway (or the cloud stand-in), announces the listening URL and stops cleanly on SIGTERM/SIGINT.
#include "Capture.hpp"
#include "CloudServer.hpp"
#include "Jwt.hpp"
#include "Options.hpp"
#include "SimServer.hpp"
#include "util/AtomicFile.hpp"

#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <ctime>
#include <iostream>
#include <mutex>
#include <thread>

namespace {

int print_token(const sim::Options& o) {
    std::string serial = o.token_serial;
    if (serial.empty() && !o.capture.empty()) serial = sim::Capture(o.capture).serial();
    if (serial.empty()) {
        std::cerr << "envoy-sim: --make-token needs --capture DIR or --token-serial SN\n";
        return 2;
    }
    sim::TokenClaims c;
    c.role = o.make_token;
    c.username = o.make_token + "@envoy-sim.invalid";
    c.serial = serial;
    c.iat = o.token_iat != 0 ? o.token_iat : static_cast<std::int64_t>(std::time(nullptr));
    c.exp = o.token_exp != 0 ? o.token_exp : static_cast<std::int64_t>(std::time(nullptr)) + 365LL * 24 * 3600;
    std::cout << sim::make_token(c, o.jwt_key) << std::endl;
    return 0;
}

// Stops the server on SIGTERM/SIGINT; if connections do not end within the grace period,
// exits the process directly (status 0) so that shutdown stays quick.
struct Shutdown {
    std::mutex mutex;
    std::condition_variable cv;
    bool finished = false;
    bool signalled = false;
};

// Announces the URL (and writes the URL file), serves until SIGTERM/SIGINT, and returns the
// exit status.
template <class Server>
int serve(Server& server, const std::string& url_file, sigset_t stop_signals) {
    Shutdown shutdown;
    std::thread stopper([&server, &shutdown, stop_signals] {
        int signo = 0;
        sigwait(&stop_signals, &signo);
        {
            std::lock_guard lock(shutdown.mutex);
            shutdown.signalled = true;
        }
        server.stop();
        std::unique_lock lock(shutdown.mutex);
        if (!shutdown.cv.wait_for(lock, std::chrono::milliseconds(1500), [&] { return shutdown.finished; })) {
            std::fflush(stdout);
            _exit(0);
        }
    });

    std::cout << "envoy-sim listening on " << server.url() << std::endl;
    if (!url_file.empty()) {
        if (const auto problem = util::write_atomic(url_file, server.url() + "\n")) {
            std::cerr << "envoy-sim: " << *problem << std::endl;
        }
    }
    server.run();
    {
        std::lock_guard lock(shutdown.mutex);
        if (!shutdown.signalled) {
            std::cerr << "envoy-sim: the server stopped unexpectedly" << std::endl;
            _exit(1);
        }
        shutdown.finished = true;
    }
    shutdown.cv.notify_all();
    stopper.join();
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    signal(SIGPIPE, SIG_IGN);
    sim::Options options;
    if (auto code = sim::parse_options(argc, argv, options)) return *code;
    try {
        if (!options.make_token.empty()) return print_token(options);

        sigset_t stop_signals;
        sigemptyset(&stop_signals);
        sigaddset(&stop_signals, SIGTERM);
        sigaddset(&stop_signals, SIGINT);
        pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

        if (options.cloud) {
            sim::CloudServer server(options);
            if (server.bind() < 0) {
                std::cerr << "envoy-sim: cannot listen on 127.0.0.1 port " << options.port << "\n";
                return 1;
            }
            std::cerr << "envoy-sim: Enphase cloud stand-in (user " << options.cloud_user << ")" << std::endl;
            return serve(server, options.url_file, stop_signals);
        }
        sim::Capture capture(options.capture);
        sim::SimServer server(options, capture);
        if (server.bind() < 0) {
            std::cerr << "envoy-sim: cannot listen on 127.0.0.1 port " << options.port << "\n";
            return 1;
        }
        std::cerr << "envoy-sim: serving " << capture.dir() << " (serial " << capture.serial() << ", "
                  << capture.software() << ", " << (server.token_mode() ? "token" : "pre7") << " firmware)"
                  << std::endl;
        return serve(server, options.url_file, stop_signals);
    } catch (const std::exception& e) {
        std::cerr << "envoy-sim: " << e.what() << "\n";
        return 1;
    }
}
