// envoy: GatewaySession implementation.
#include "envoy/GatewaySession.hpp"

namespace envoy {

HttpClient::RequestId GatewaySession::get_as(std::string_view path, const HttpAuth& auth, HttpClient::DoneCallback on_done) {
    HttpRequest request;
    request.url = base_ + std::string(path);
    request.auth = auth;
    request.pinned_key = pin_;
    request.timeout = request_timeout_;
    return http_.start(std::move(request), std::move(on_done));
}

HttpClient::RequestId GatewaySession::post_json(std::string_view path, std::string body, HttpClient::DoneCallback on_done) {
    HttpRequest request;
    request.url = base_ + std::string(path);
    request.auth = auth_;
    request.pinned_key = pin_;
    request.timeout = request_timeout_;
    request.post_body = std::move(body);
    request.content_type = "application/json";
    return http_.start(std::move(request), std::move(on_done));
}

HttpClient::RequestId GatewaySession::get_learning_key(std::string_view path, HttpClient::DoneCallback on_done) {
    HttpRequest request;
    request.url = base_ + std::string(path);
    request.learn_key = base_.rfind("https://", 0) == 0;
    request.timeout = request_timeout_;
    return http_.start(std::move(request), std::move(on_done));
}

HttpClient::RequestId GatewaySession::stream(std::string_view path, std::function<void(std::string_view)> on_chunk,
                                             HttpClient::DoneCallback on_done) {
    HttpRequest request;
    request.url = base_ + std::string(path);
    request.auth = auth_;
    request.pinned_key = pin_;
    request.timeout = std::chrono::milliseconds(0);
    request.on_chunk = std::move(on_chunk);
    return http_.start(std::move(request), std::move(on_done));
}

}  // namespace envoy
