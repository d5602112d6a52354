// envoy: CloudClient implementation (two chained POSTs on HttpClient).
#include "envoy/CloudClient.hpp"

#include "log/Log.hpp"

namespace envoy {

CloudClient::CloudClient(loop::EventLoop& loop, CloudSettings settings) : settings_(std::move(settings)), http_(loop) {}

void CloudClient::fetch(const std::string& serial, Done done) {
    if (busy()) return;
    done_ = std::move(done);
    HttpRequest request;
    request.url = settings_.login_url;
    request.verify_peer = true;
    request.ca_file = settings_.ca_file;
    request.timeout = settings_.timeout;
    request.post_body = cloud::login_form(settings_.user, settings_.password);
    request.content_type = "application/x-www-form-urlencoded";
    LOG_DEBUG("Enlighten login at " << settings_.login_url);
    request_ = http_.start(std::move(request), [this, serial](HttpResponse&& response) {
        request_ = 0;
        auto outcome = cloud::read_login(response.status, response.body, response.error);
        if (outcome.problem != cloud::Problem::None) {
            finish(std::move(outcome));
            return;
        }
        request_token(outcome.value, serial);
    });
}

void CloudClient::request_token(const std::string& session_id, const std::string& serial) {
    HttpRequest request;
    request.url = settings_.tokens_url;
    request.verify_peer = true;
    request.ca_file = settings_.ca_file;
    request.timeout = settings_.timeout;
    request.post_body = cloud::tokens_request(session_id, serial, settings_.user);
    request.content_type = "application/json";
    LOG_DEBUG("requesting a token for gateway " << serial << " at " << settings_.tokens_url);
    request_ = http_.start(std::move(request), [this, serial](HttpResponse&& response) {
        request_ = 0;
        finish(cloud::read_tokens(response.status, response.body, response.error, serial));
    });
}

void CloudClient::finish(cloud::Outcome&& outcome) {
    Done done = std::move(done_);
    done_ = nullptr;
    if (done) done(std::move(outcome));
}

}  // namespace envoy
