// tests/integration/soak: reading VmRSS and the descriptor count from /proc; the flatness check.
#include "ProcessStats.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace soak {

std::optional<Usage> usage_of(pid_t pid) {
    const std::string proc = "/proc/" + std::to_string(pid);
    std::ifstream status(proc + "/status");
    if (!status) return std::nullopt;
    Usage usage;
    bool found = false;
    for (std::string line; std::getline(status, line);) {
        if (line.rfind("VmRSS:", 0) != 0) continue;
        std::istringstream(line.substr(6)) >> usage.rss_kib;
        found = true;
    }
    if (!found) return std::nullopt;  // a zombie has no VmRSS
    std::error_code error;
    for (std::filesystem::directory_iterator it(proc + "/fd", error), end; !error && it != end; it.increment(error))
        ++usage.fds;
    if (error) return std::nullopt;
    return usage;
}

namespace {

long median_rss(std::vector<Usage> part) {
    std::sort(part.begin(), part.end(), [](const Usage& a, const Usage& b) { return a.rss_kib < b.rss_kib; });
    return part[part.size() / 2].rss_kib;
}

int max_fds(const std::vector<Usage>& part) {
    int most = 0;
    for (const Usage& usage : part) most = std::max(most, usage.fds);
    return most;
}

}  // namespace

Flatness compare_thirds(const std::vector<Usage>& samples, double rss_tolerance, long rss_slack_kib, int fd_slack) {
    Flatness result;
    if (samples.size() < 3) {
        result.flat = false;
        result.report = "only " + std::to_string(samples.size()) + " samples";
        return result;
    }
    const std::size_t third = samples.size() / 3;
    const std::vector<Usage> first(samples.begin(), samples.begin() + static_cast<long>(third));
    const std::vector<Usage> last(samples.end() - static_cast<long>(third), samples.end());
    const long rss_first = median_rss(first);
    const long rss_last = median_rss(last);
    const int fds_first = max_fds(first);
    const int fds_last = max_fds(last);
    const long rss_limit = static_cast<long>(static_cast<double>(rss_first) * (1.0 + rss_tolerance)) + rss_slack_kib;
    result.flat = rss_last <= rss_limit && fds_last <= fds_first + fd_slack;
    std::ostringstream report;
    report << samples.size() << " samples; RSS median first third " << rss_first << " KiB, last third " << rss_last
           << " KiB (limit " << rss_limit << "); descriptors max first third " << fds_first << ", last third "
           << fds_last << " (limit " << fds_first + fd_slack << ")";
    result.report = report.str();
    return result;
}

}  // namespace soak
