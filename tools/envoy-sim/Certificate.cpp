// envoy-sim: builds an EC key and a self-signed X.509 certificate with OpenSSL, never on disk.
#include "Certificate.hpp"

#include <openssl/ec.h>
#include <openssl/x509v3.h>

#include <stdexcept>

namespace sim {

Certificate make_self_signed(const std::string& cn) {
    Certificate c;
    c.key.reset(EVP_EC_gen("prime256v1"));
    if (!c.key) throw std::runtime_error("cannot generate the TLS key");
    c.cert.reset(X509_new());
    if (!c.cert) throw std::runtime_error("cannot allocate the TLS certificate");
    X509* x = c.cert.get();
    X509_set_version(x, 2);
    ASN1_INTEGER_set(X509_get_serialNumber(x), 1);
    X509_gmtime_adj(X509_getm_notBefore(x), -3600);
    X509_gmtime_adj(X509_getm_notAfter(x), 10L * 365 * 24 * 3600);
    X509_set_pubkey(x, c.key.get());
    X509_NAME* name = X509_get_subject_name(x);
    X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("envoy-sim"), -1, -1, 0);
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>(cn.c_str()), -1, -1, 0);
    X509_set_issuer_name(x, name);
    if (X509_sign(x, c.key.get(), EVP_sha256()) == 0) throw std::runtime_error("cannot sign the TLS certificate");
    return c;
}

}  // namespace sim
