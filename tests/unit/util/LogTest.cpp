// tests/unit/util: the logger writes one readable line per message, whatever the message holds.
#include <gtest/gtest.h>

#include <unistd.h>

#include <string>

#include "log/Log.hpp"

namespace {

// What logging::write puts on stderr for one message.
std::string logged(std::string_view message) {
    int pipe_fds[2];
    EXPECT_EQ(::pipe(pipe_fds), 0);
    const int saved = ::dup(STDERR_FILENO);
    ::dup2(pipe_fds[1], STDERR_FILENO);
    logging::write(logging::Level::Warning, message);
    ::dup2(saved, STDERR_FILENO);
    ::close(saved);
    ::close(pipe_fds[1]);
    std::string out;
    char buffer[4096];
    for (ssize_t n; (n = ::read(pipe_fds[0], buffer, sizeof buffer)) > 0;) out.append(buffer, static_cast<std::size_t>(n));
    ::close(pipe_fds[0]);
    return out;
}

TEST(Log, ControlCharactersAreEscaped) {
    EXPECT_EQ(logged("serial 12\r\nINFO: forged line\x1b[31m"), "WARNING: serial 12\\x0d\\x0aINFO: forged line\\x1b[31m\n");
    EXPECT_EQ(logged("9 of 10 \xe2\x9a\xa1"), "WARNING: 9 of 10 \xe2\x9a\xa1\n");
}

TEST(Log, LongMessagesAreCut) {
    const std::string line = logged(std::string(1 << 20, 'x'));
    EXPECT_LT(line.size(), 2100u);
    EXPECT_NE(line.find("... (1046576 more bytes)\n"), std::string::npos);
    EXPECT_EQ(line.find('\n'), line.size() - 1);
}

}  // namespace
