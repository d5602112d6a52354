// tests/support/mqtt: starting, stopping and restarting a private mosquitto broker.
#include "Broker.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <csignal>
#include <stdexcept>

#include "util/UniqueFd.hpp"

namespace mqtttest {
namespace {

bool accepts(int port) {
    const util::UniqueFd fd(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
    if (!fd.valid()) return false;
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<std::uint16_t>(port));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return ::connect(fd.get(), reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
}

}  // namespace

int free_port() {
    const util::UniqueFd fd(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
    if (!fd.valid()) throw std::runtime_error("socket");
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    if (::bind(fd.get(), reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
        ::getsockname(fd.get(), reinterpret_cast<sockaddr*>(&address), &length) != 0) {
        throw std::runtime_error("bind to port 0");
    }
    return ntohs(address.sin_port);
}

bool make_test_certificates(const std::string& dir) {
    testsupport::Process script({"sh", testsupport::test_data("mqtt/make-test-ca.sh"), dir});
    auto code = script.wait_exit(std::chrono::seconds(30));
    return code && *code == 0;
}

Broker::Broker(BrokerOptions options) : options_(std::move(options)), port_(free_port()) {
    std::string config = "persistence false\nlog_dest stdout\nlog_type error\nlog_type warning\nlog_type notice\n";
    if (::geteuid() == 0) config += "user root\n";
    config += "listener " + std::to_string(port_) + " 127.0.0.1\n";
    if (options_.username.empty()) {
        config += "allow_anonymous true\n";
    } else {
        std::string passwords = dir_.file("passwords");
        testsupport::Process maker({"mosquitto_passwd", "-b", "-c", passwords, options_.username, options_.password});
        auto code = maker.wait_exit(std::chrono::seconds(10));
        if (!code || *code != 0) throw std::runtime_error("mosquitto_passwd failed: " + maker.output());
        config += "allow_anonymous false\npassword_file " + passwords + "\n";
    }
    if (!options_.cert_dir.empty()) {
        config += "cafile " + options_.cert_dir + "/ca.pem\ncertfile " + options_.cert_dir + "/server.pem\nkeyfile " +
                  options_.cert_dir + "/server.key\n";
    }
    testsupport::write_file(dir_.file("mosquitto.conf"), config);
    start();
}

Broker::~Broker() { kill(); }

void Broker::start() {
    kill();
    process_ = std::make_unique<testsupport::Process>(
        std::vector<std::string>{"mosquitto", "-c", dir_.file("mosquitto.conf")});
    bool up = testsupport::wait_until([this] { return accepts(port_) || !process_->running(); }, std::chrono::seconds(10));
    if (!up || !process_->running()) throw std::runtime_error("mosquitto did not start: " + process_->output());
}

void Broker::kill() {
    if (!process_) return;
    process_->signal(SIGKILL);
    process_->wait_exit(std::chrono::seconds(10));
    process_.reset();
}

}  // namespace mqtttest
