// tests/integration/soak: resident memory and open descriptors of a process, from /proc, and
// the check that a series of samples stays flat (first third against last third).
#pragma once

#include <sys/types.h>

#include <optional>
#include <string>
#include <vector>

namespace soak {

struct Usage {
    long rss_kib = 0;  // VmRSS
    int fds = 0;       // entries of /proc/PID/fd
};

// nullopt when the process is gone.
std::optional<Usage> usage_of(pid_t pid);

struct Flatness {
    bool flat = true;
    std::string report;  // the compared figures, for the test log
};

// Compares the first and last thirds of samples (taken at a steady rate): the median RSS of the
// last third may exceed the first's by rss_tolerance (a fraction) plus rss_slack_kib, the highest
// descriptor count of the last third may exceed the first's by fd_slack.
Flatness compare_thirds(const std::vector<Usage>& samples, double rss_tolerance, long rss_slack_kib, int fd_slack);

}  // namespace soak
