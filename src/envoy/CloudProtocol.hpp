// envoy: the two requests of the Enphase cloud token exchange and how to read their answers
// (pure: no I/O, no clock). Login: a form POST of e-mail and password answered with a JSON
// session_id; tokens: a JSON POST of session_id, gateway serial and e-mail answered with the
// token as the plain body. Every message built here is one log line without any secret.
#pragma once

#include <string>
#include <string_view>

namespace envoy::cloud {

enum class Problem {
    None,
    Unreachable,      // no HTTP answer (DNS, refused, TLS verification, timeout)
    BadCredentials,   // login refused: wrong e-mail or password
    MultiFactor,      // login answered without session_id: the account uses MFA
    UnknownSerial,    // entrez refused a token for this gateway serial
    CloudError,       // anything else the cloud answered (5xx, garbage)
};

struct Outcome {
    Problem problem = Problem::None;
    std::string value;    // session_id (login) or token (tokens) when problem == None; secret
    std::string message;  // one log line when problem != None; never holds a secret
};

// application/x-www-form-urlencoded body with user[email] and user[password].
std::string login_form(std::string_view email, std::string_view password);
// {"session_id":…,"serial_num":…,"username":…}
std::string tokens_request(std::string_view session_id, std::string_view serial, std::string_view email);

// transport_error: the HTTP client's error text, empty when an answer arrived.
Outcome read_login(long status, std::string_view body, std::string_view transport_error);
Outcome read_tokens(long status, std::string_view body, std::string_view transport_error, std::string_view serial);

}  // namespace envoy::cloud
