// tests/support: implementation of Process and the small file helpers.
#include "Process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace testsupport {

Process::Process(std::vector<std::string> argv, std::map<std::string, std::string> env) {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) throw std::runtime_error("pipe2 failed");
    pid_ = ::fork();
    if (pid_ < 0) throw std::runtime_error("fork failed");
    if (pid_ == 0) {
        ::dup2(fds[1], 1);
        ::dup2(fds[1], 2);
        ::setpgid(0, 0);
        for (const auto& [key, value] : env) ::setenv(key.c_str(), value.c_str(), 1);
        std::vector<char*> args;
        for (auto& arg : argv) args.push_back(arg.data());
        args.push_back(nullptr);
        ::execvp(args[0], args.data());
        std::fprintf(stderr, "exec %s: %s\n", args[0], std::strerror(errno));
        ::_exit(127);
    }
    ::close(fds[1]);
    out_fd_.reset(fds[0]);
    ::fcntl(out_fd_.get(), F_SETFL, O_NONBLOCK);
}

Process::~Process() {
    if (pid_ > 0 && !exit_code_) {
        ::kill(pid_, SIGKILL);
        ::waitpid(pid_, nullptr, 0);
    }
}

void Process::drain(std::chrono::milliseconds wait) {
    if (!out_fd_.valid()) return;
    pollfd pfd{out_fd_.get(), POLLIN, 0};
    if (::poll(&pfd, 1, static_cast<int>(wait.count())) <= 0) return;
    char buffer[4096];
    for (;;) {
        ssize_t n = ::read(out_fd_.get(), buffer, sizeof buffer);
        if (n > 0) {
            output_.append(buffer, static_cast<size_t>(n));
            continue;
        }
        if (n == 0) {
            out_fd_.reset();
        }
        return;
    }
}

const std::string& Process::output() {
    drain(std::chrono::milliseconds(0));
    return output_;
}

bool Process::wait_for_output(const std::string& text, std::chrono::milliseconds timeout) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        if (output_.find(text) != std::string::npos) return true;
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) return false;
        if (!out_fd_.valid()) return output_.find(text) != std::string::npos;
        drain(std::min(left, std::chrono::milliseconds(100)));
    }
}

std::optional<std::string> Process::wait_for_match(const std::string& regex, std::chrono::milliseconds timeout) {
    std::regex pattern(regex);
    auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        std::smatch match;
        if (std::regex_search(output_, match, pattern)) return match.size() > 1 ? match[1].str() : match[0].str();
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0 || !out_fd_.valid()) {
            drain(std::chrono::milliseconds(0));
            if (std::regex_search(output_, match, pattern)) return match.size() > 1 ? match[1].str() : match[0].str();
            return std::nullopt;
        }
        drain(std::min(left, std::chrono::milliseconds(100)));
    }
}

void Process::signal(int signo) {
    if (pid_ > 0 && !exit_code_) ::kill(pid_, signo);
}

std::optional<int> Process::wait_exit(std::chrono::milliseconds timeout) {
    if (exit_code_) return exit_code_;
    auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        int status = 0;
        pid_t done = ::waitpid(pid_, &status, WNOHANG);
        if (done == pid_) {
            exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
            drain(std::chrono::milliseconds(0));
            return exit_code_;
        }
        if (std::chrono::steady_clock::now() >= deadline) return std::nullopt;
        drain(std::chrono::milliseconds(20));
    }
}

bool Process::running() {
    if (exit_code_) return false;
    int status = 0;
    pid_t done = ::waitpid(pid_, &status, WNOHANG);
    if (done == pid_) {
        exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        return false;
    }
    return true;
}

bool wait_until(const std::function<bool()>& predicate, std::chrono::milliseconds timeout) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        if (predicate()) return true;
        if (std::chrono::steady_clock::now() >= deadline) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
}

std::string built(const std::string& relative) { return std::string(EE_BINARY_DIR) + "/" + relative; }
std::string test_data(const std::string& relative) { return std::string(EE_TEST_DATA_DIR) + "/" + relative; }

TempDir::TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "ee-test-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
}

TempDir::~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
}

void write_file(const std::string& path, const std::string& content) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << content;
    if (!out) throw std::runtime_error("cannot write " + path);
}

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read " + path);
    std::ostringstream buffer;
    buffer << in.rdbuf();
    return buffer.str();
}

}  // namespace testsupport
