// app: PeriodicFetch implementation.
#include "app/PeriodicFetch.hpp"

#include <algorithm>

#include "envoy/parsers/ParseError.hpp"
#include "log/Log.hpp"

namespace app {
namespace {
constexpr std::chrono::milliseconds kRetry{15000};
}

PeriodicFetch::PeriodicFetch(loop::EventLoop& loop, envoy::Client& client, std::string path, std::chrono::seconds interval,
                             Handler handler)
    : client_(client), path_(std::move(path)), interval_(interval), handler_(std::move(handler)), timer_(loop) {}

void PeriodicFetch::start(std::chrono::milliseconds first_delay) { schedule(first_delay); }

void PeriodicFetch::schedule(std::chrono::milliseconds delay) {
    timer_.start(delay, [this] { fetch(); });
}

void PeriodicFetch::fetch() {
    if (!client_.ready()) {
        schedule(std::min<std::chrono::milliseconds>(kRetry, interval_));
        return;
    }
    client_.fetch(path_, [this](envoy::HttpResponse&& response) {
        std::string problem;
        if (!response.ok()) {
            problem = path_ + ": " + response.describe();
        } else {
            try {
                handler_(response.body);
            } catch (const envoy::parse::ParseError& error) {
                problem = error.what();
            }
        }
        if (problem.empty()) {
            if (failing_) LOG_INFO(path_ << ": fetched again");
            else LOG_DEBUG(path_ << ": fetched");
            failing_ = false;
            schedule(interval_);
            return;
        }
        if (!failing_) LOG_WARNING(problem << "; retrying");
        else LOG_DEBUG(problem);
        failing_ = true;
        schedule(std::min<std::chrono::milliseconds>(kRetry * 4, interval_));
    });
}

}  // namespace app
