// envoy: CloudProtocol implementation (request bodies and classification of the answers).
#include "envoy/CloudProtocol.hpp"

#include <cctype>

#include <nlohmann/json.hpp>

namespace envoy::cloud {
namespace {

std::string form_escape(std::string_view text) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    for (const char c : text) {
        const auto byte = static_cast<unsigned char>(c);
        if (std::isalnum(byte) != 0 || c == '-' || c == '.' || c == '_' || c == '~') {
            out.push_back(c);
        } else {
            out.push_back('%');
            out.push_back(kHex[byte >> 4]);
            out.push_back(kHex[byte & 0x0f]);
        }
    }
    return out;
}

// A short single-line excerpt of what the cloud said, for the log.
std::string excerpt(std::string_view text) {
    std::string out;
    for (const char c : text) {
        if (out.size() >= 120) {
            out += "...";
            break;
        }
        out.push_back(std::isprint(static_cast<unsigned char>(c)) != 0 ? c : ' ');
    }
    while (!out.empty() && out.back() == ' ') out.pop_back();
    return out;
}

// The cloud's own explanation: a JSON "message"/"error" text, else an excerpt of the body.
std::string cloud_says(std::string_view body) {
    const auto json = nlohmann::json::parse(body, nullptr, false);
    if (json.is_object()) {
        for (const char* key : {"message", "error", "reason"}) {
            auto found = json.find(key);
            if (found != json.end() && found->is_string()) return excerpt(found->get<std::string>());
        }
    }
    return excerpt(body);
}

std::string with_detail(std::string text, long status, std::string_view body) {
    const std::string said = cloud_says(body);
    text += " (HTTP " + std::to_string(status);
    if (!said.empty()) text += ": " + said;
    return text + ")";
}

bool looks_like_jwt(std::string_view token) {
    if (token.size() < 5) return false;
    int dots = 0;
    for (const char c : token) {
        if (c == '.') ++dots;
        else if (std::isalnum(static_cast<unsigned char>(c)) == 0 && c != '-' && c != '_' && c != '=') return false;
    }
    return dots == 2;
}

std::string_view trimmed(std::string_view text) {
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front())) != 0) text.remove_prefix(1);
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back())) != 0) text.remove_suffix(1);
    return text;
}

}  // namespace

std::string login_form(std::string_view email, std::string_view password) {
    return "user%5Bemail%5D=" + form_escape(email) + "&user%5Bpassword%5D=" + form_escape(password);
}

std::string tokens_request(std::string_view session_id, std::string_view serial, std::string_view email) {
    nlohmann::ordered_json body = {{"session_id", session_id}, {"serial_num", serial}, {"username", email}};
    return body.dump();
}

Outcome read_login(long status, std::string_view body, std::string_view transport_error) {
    Outcome out;
    if (!transport_error.empty() || status == 0) {
        out.problem = Problem::Unreachable;
        out.message = "Enlighten login: the Enphase cloud is unreachable (" +
                      std::string(transport_error.empty() ? "no answer" : transport_error) + ")";
        return out;
    }
    if (status == 401 || status == 403) {
        out.problem = Problem::BadCredentials;
        out.message = with_detail("Enlighten login refused: wrong [ENVOY] enlighten_user or enlighten_password", status, body);
        return out;
    }
    if (status < 200 || status >= 300) {
        out.problem = Problem::CloudError;
        out.message = with_detail("Enlighten login failed", status, body);
        return out;
    }
    const auto json = nlohmann::json::parse(body, nullptr, false);
    if (!json.is_object()) {
        out.problem = Problem::CloudError;
        out.message = "Enlighten login answered something that is not a JSON object";
        return out;
    }
    const auto session = json.find("session_id");
    if (session == json.end() || !session->is_string() || session->get<std::string>().empty()) {
        out.problem = Problem::MultiFactor;
        out.message =
            "Enlighten login gave no session: the account uses multi-factor authentication, which the automatic "
            "login cannot answer; create a token at https://entrez.enphaseenergy.com and set [ENVOY] token";
        return out;
    }
    out.value = session->get<std::string>();
    return out;
}

Outcome read_tokens(long status, std::string_view body, std::string_view transport_error, std::string_view serial) {
    Outcome out;
    if (!transport_error.empty() || status == 0) {
        out.problem = Problem::Unreachable;
        out.message = "Enphase token service: the Enphase cloud is unreachable (" +
                      std::string(transport_error.empty() ? "no answer" : transport_error) + ")";
        return out;
    }
    if (status == 401) {
        out.problem = Problem::CloudError;
        out.message = with_detail("the Enphase token service refused the login session", status, body);
        return out;
    }
    if (status >= 400 && status < 500) {
        out.problem = Problem::UnknownSerial;
        out.message = with_detail("the Enphase token service refused a token for gateway " + std::string(serial) +
                                      ": check [ENVOY] serial (it must be a gateway of the enlighten_user account)",
                                  status, body);
        return out;
    }
    if (status < 200 || status >= 300) {
        out.problem = Problem::CloudError;
        out.message = with_detail("the Enphase token service failed", status, body);
        return out;
    }
    const std::string_view token = trimmed(body);
    if (!looks_like_jwt(token)) {
        out.problem = Problem::CloudError;
        out.message = "the Enphase token service answered something that is not a token";
        return out;
    }
    out.value = std::string(token);
    return out;
}

}  // namespace envoy::cloud
