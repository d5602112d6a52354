// envoy: EndpointUnit implementation.
#include "envoy/EndpointUnit.hpp"

#include <algorithm>

#include "envoy/parsers/ParseError.hpp"
#include "log/Log.hpp"

namespace envoy {
namespace {
constexpr std::chrono::milliseconds kRetry{15000};
}

EndpointUnit::EndpointUnit(loop::EventLoop& loop, Client& client, std::string path, std::chrono::seconds interval, Read read)
    : client_(client), path_(std::move(path)), interval_(interval), read_(std::move(read)), timer_(loop) {}

void EndpointUnit::start(std::chrono::milliseconds first_delay) { schedule(first_delay); }

void EndpointUnit::schedule(std::chrono::milliseconds delay) {
    timer_.start(delay, [this] { fetch(); });
}

void EndpointUnit::fetch() {
    if (!client_.ready()) {
        schedule(std::min<std::chrono::milliseconds>(kRetry, interval_));
        return;
    }
    if (!presence_.worth_asking(client_.connections())) {  // not asked again until the gateway is probed again
        schedule(interval_);
        return;
    }
    client_.fetch(path_, [this](HttpResponse&& response) { on_response(std::move(response)); });
}

void EndpointUnit::on_response(HttpResponse&& response) {
    if (presence_.absent_after(response.error.empty() ? response.status : 0, client_.connections())) {
        LOG_INFO(path_ << ": the gateway does not offer it (" << response.describe()
                       << "); not asked again until the gateway is probed again");
        failing_ = false;
        schedule(interval_);
        return;
    }
    std::string problem;
    if (!response.ok()) {
        problem = path_ + ": " + response.describe();
    } else {
        try {
            read_(response.body);
        } catch (const parse::ParseError& error) {
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
}

}  // namespace envoy
