// envoy-sim: builds an EC key (or reads it from the --tls-key file) and a self-signed X.509
// certificate with OpenSSL.
#include "Certificate.hpp"

#include <openssl/ec.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include <sys/stat.h>

#include <cstdio>
#include <stdexcept>

namespace sim {

namespace {

// The key of key_file, or a new one written there.
EVP_PKEY* load_or_create_key(const std::string& key_file) {
    if (key_file.empty()) return EVP_EC_gen("prime256v1");
    if (FILE* in = std::fopen(key_file.c_str(), "r")) {
        EVP_PKEY* key = PEM_read_PrivateKey(in, nullptr, nullptr, nullptr);
        std::fclose(in);
        if (key == nullptr) throw std::runtime_error("cannot read the TLS key in " + key_file);
        return key;
    }
    EVP_PKEY* key = EVP_EC_gen("prime256v1");
    if (key == nullptr) return nullptr;
    const std::string temp = key_file + ".tmp";
    FILE* out = std::fopen(temp.c_str(), "w");
    if (out == nullptr) throw std::runtime_error("cannot write the TLS key to " + key_file);
    ::fchmod(fileno(out), 0600);
    const bool written = PEM_write_PrivateKey(out, key, nullptr, nullptr, 0, nullptr, nullptr) == 1;
    std::fclose(out);
    if (!written || std::rename(temp.c_str(), key_file.c_str()) != 0) {
        throw std::runtime_error("cannot write the TLS key to " + key_file);
    }
    return key;
}

}  // namespace

Certificate make_self_signed(const std::string& cn, const std::string& key_file) {
    Certificate c;
    c.key.reset(load_or_create_key(key_file));
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

namespace sim {
namespace {

void add_extension(X509* cert, X509* issuer, int nid, const char* value) {
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
    X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
    if (ext == nullptr) throw std::runtime_error("cannot build a certificate extension");
    X509_add_ext(cert, ext, -1);
    X509_EXTENSION_free(ext);
}

Certificate make_certificate(const std::string& cn, long serial, const Certificate* issuer) {
    Certificate c;
    c.key.reset(EVP_EC_gen("prime256v1"));
    if (!c.key) throw std::runtime_error("cannot generate the TLS key");
    c.cert.reset(X509_new());
    if (!c.cert) throw std::runtime_error("cannot allocate the TLS certificate");
    X509* x = c.cert.get();
    X509_set_version(x, 2);
    ASN1_INTEGER_set(X509_get_serialNumber(x), serial);
    X509_gmtime_adj(X509_getm_notBefore(x), -3600);
    X509_gmtime_adj(X509_getm_notAfter(x), 10L * 365 * 24 * 3600);
    X509_set_pubkey(x, c.key.get());
    X509_NAME* name = X509_get_subject_name(x);
    X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("envoy-sim"), -1, -1, 0);
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>(cn.c_str()), -1, -1, 0);
    X509* issuer_cert = issuer ? issuer->cert.get() : x;
    X509_set_issuer_name(x, X509_get_subject_name(issuer_cert));
    if (issuer) {
        add_extension(x, issuer_cert, NID_basic_constraints, "critical,CA:FALSE");
        add_extension(x, issuer_cert, NID_subject_alt_name, "IP:127.0.0.1,IP:::1,DNS:localhost");
        add_extension(x, issuer_cert, NID_ext_key_usage, "serverAuth");
    } else {
        add_extension(x, x, NID_basic_constraints, "critical,CA:TRUE");
        add_extension(x, x, NID_key_usage, "critical,keyCertSign,cRLSign");
        add_extension(x, x, NID_subject_key_identifier, "hash");
    }
    EVP_PKEY* signing_key = issuer ? issuer->key.get() : c.key.get();
    if (X509_sign(x, signing_key, EVP_sha256()) == 0) throw std::runtime_error("cannot sign the TLS certificate");
    return c;
}

}  // namespace

TestPki make_test_pki() {
    TestPki pki;
    pki.ca = make_certificate("envoy-sim test CA", 1, nullptr);
    pki.server = make_certificate("localhost", 2, &pki.ca);
    return pki;
}

std::string to_pem(X509* cert) {
    BIO* bio = BIO_new(BIO_s_mem());
    if (bio == nullptr || PEM_write_bio_X509(bio, cert) != 1) {
        BIO_free(bio);
        throw std::runtime_error("cannot write the certificate as PEM");
    }
    char* data = nullptr;
    long size = BIO_get_mem_data(bio, &data);
    std::string pem(data, static_cast<std::size_t>(size));
    BIO_free(bio);
    return pem;
}

}  // namespace sim
