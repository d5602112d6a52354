// envoy: Client's authentication: Digest on pre-7 firmware, else the token the TokenKeeper
// picks, checked with the gateway (TokenCheck) before data flows and before a renewed one
// replaces it; a rejected token stops the data until another is accepted.
#include "envoy/Client.hpp"

#include <ctime>

#include "envoy/TokenCheck.hpp"
#include "envoy/TokenRenewal.hpp"
#include "envoy/parsers/Parsers.hpp"
#include "log/Log.hpp"

namespace envoy {
namespace {

std::string_view user_name(model::TokenUser user) {
    switch (user) {
        case model::TokenUser::Owner: return "owner";
        case model::TokenUser::Installer: return "installer";
        case model::TokenUser::Unknown: break;
    }
    return "unknown";
}

}  // namespace

bool Client::configure_auth() {
    const auto& gateway = status_.gateway;
    if (!status_.token_access) {
        std::string password = settings_.installer_password;
        if (password.empty()) password = parse::installer_password(gateway.serial);
        session_.set_auth({HttpAuth::Kind::Digest, "installer", password});
        status_.token.reset();
        return true;
    }
    if (!tokens_.select(gateway.serial)) {
        if (tokens_.can_fetch()) {
            waiting_for_token_ = true;  // on_new_token() goes on
            return false;
        }
        if (!tokens_.problem().empty()) {
            callbacks_.on_fatal(std::string("[ENVOY] token: ") + tokens_.problem());
        } else {
            callbacks_.on_fatal("[ENVOY] token firmware " + gateway.firmware +
                                " needs a token: set token, or enlighten_user, enlighten_password and serial");
        }
        return false;
    }
    use_token();
    return true;
}

void Client::use_token() {
    const auto& token = tokens_.info();
    status_.token = token;
    LOG_INFO("token: " << user_name(token.user) << " account, expires "
                       << (token.expires > 0 ? utc_date(token.expires) : std::string("(not stated)")));
    if (token.expires > 0 && token.expires < std::time(nullptr)) LOG_ERROR("the token expired on " << utc_date(token.expires));
    session_.set_auth({HttpAuth::Kind::Bearer, {}, tokens_.token()});
}

void Client::check_token() {
    envoy::check_token(session_, session_.auth().secret, [this](TokenVerdict verdict, const HttpResponse& response) {
        if (verdict == TokenVerdict::Rejected) {
            token_rejected("the gateway rejected the token (" + response.describe() + ")");
            return;
        }
        if (verdict == TokenVerdict::NoVerdict) {
            retry_later("/auth/check_jwt: " + response.describe());
            return;
        }
        tokens_.accepted();
        load_meters();
    });
}

void Client::switch_token() {
    use_token();
    LOG_INFO("now using the new token");
    publish_status();
}

void Client::on_new_token() {
    if (waiting_for_token_) {
        waiting_for_token_ = false;
        switch_token();
        check_token();
        return;
    }
    if (!ready_) {  // a probe is under way: its next requests carry the new token
        switch_token();
        return;
    }
    // Renewed while data flows: the old token stays in use until the gateway accepts the new one.
    envoy::check_token(session_, tokens_.token(), [this](TokenVerdict verdict, const HttpResponse& response) {
        if (verdict == TokenVerdict::Rejected) {
            LOG_ERROR("the gateway rejected the new token (" << response.describe() << ")");
            if (!tokens_.rejected()) token_rejected("no token left that the gateway accepts");
            return;
        }
        if (verdict == TokenVerdict::NoVerdict) {
            LOG_WARNING("/auth/check_jwt for the new token: " << response.describe() << "; using it anyway");
        }
        switch_token();
        tokens_.accepted();
    });
}

void Client::token_rejected(const std::string& why) {
    if (!tokens_.rejected()) {
        retry_later(why + ": it is expired, revoked or for another gateway");
        return;
    }
    LOG_ERROR(why << "; data stops until another token is accepted");
    stop_data();
    waiting_for_token_ = true;
}

}  // namespace envoy
