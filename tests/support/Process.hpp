// tests/support: starting and watching child processes from integration tests.
//
// A Process runs a program with its stdout and stderr captured (merged) into a buffer
// that tests can wait on ("the line that says it listens"), with a deadline instead of
// sleeps. The child is killed (SIGKILL) when the Process is destroyed.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "util/UniqueFd.hpp"

namespace testsupport {

using namespace std::chrono_literals;

class Process {
public:
    // Starts argv[0] (searched in PATH if it has no slash) with extra environment variables.
    Process(std::vector<std::string> argv, std::map<std::string, std::string> env = {});
    ~Process();
    Process(const Process&) = delete;
    Process& operator=(const Process&) = delete;

    pid_t pid() const { return pid_; }
    // Everything the child printed so far (reads what is pending first).
    const std::string& output();
    // Waits until the output contains text; returns false at the deadline.
    bool wait_for_output(const std::string& text, std::chrono::milliseconds timeout = 10s);
    // Waits until a line matching the ECMAScript regex appears; returns its first capture group.
    std::optional<std::string> wait_for_match(const std::string& regex, std::chrono::milliseconds timeout = 10s);
    // Sends a signal (SIGTERM by default).
    void signal(int signo);
    // Waits for the child to exit; returns its exit code (128+signal if killed), nullopt at the deadline.
    std::optional<int> wait_exit(std::chrono::milliseconds timeout = 10s);
    bool running();

private:
    void drain(std::chrono::milliseconds wait);

    pid_t pid_ = -1;
    util::UniqueFd out_fd_;
    std::string output_;
    std::optional<int> exit_code_;
};

// Polls predicate (every 20 ms) until it is true or the timeout passes.
bool wait_until(const std::function<bool()>& predicate, std::chrono::milliseconds timeout = 10s);

// Absolute path of a file built by this project (set by CMake as EE_BINARY_DIR).
std::string built(const std::string& relative);
// Absolute path below tests/data.
std::string test_data(const std::string& relative);
// A fresh temporary directory, removed with its contents when the object is destroyed.
class TempDir {
public:
    TempDir();
    ~TempDir();
    const std::string& path() const { return path_; }
    std::string file(const std::string& name) const { return path_ + "/" + name; }

private:
    std::string path_;
};

void write_file(const std::string& path, const std::string& content);
std::string read_file(const std::string& path);

}  // namespace testsupport
