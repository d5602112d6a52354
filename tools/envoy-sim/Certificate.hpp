// envoy-sim: the self-signed TLS certificate of token firmware, generated in memory at start-up.
#pragma once

#include <openssl/evp.h>
#include <openssl/x509.h>

#include <memory>
#include <string>

namespace sim {

struct X509Deleter {
    void operator()(X509* x) const { X509_free(x); }
};
struct PkeyDeleter {
    void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};

struct Certificate {
    std::unique_ptr<X509, X509Deleter> cert;
    std::unique_ptr<EVP_PKEY, PkeyDeleter> key;
};

// An EC P-256 key and a certificate for common name `cn` valid for ten years; throws on failure.
Certificate make_self_signed(const std::string& cn);

}  // namespace sim
