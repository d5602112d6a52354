// envoy-sim: the self-signed TLS certificate of token firmware and the test CA of the cloud
// stand-in, generated in memory at start-up.
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
// With key_file, the key is read from it (PEM), or generated and written there (mode 0600) when
// the file does not exist.
Certificate make_self_signed(const std::string& cn, const std::string& key_file = "");

}  // namespace sim

namespace sim {

// A test certificate authority and a server certificate it signed for 127.0.0.1, ::1 and
// localhost, so that a client verifying TLS against the CA's PEM accepts the server.
struct TestPki {
    Certificate ca;
    Certificate server;
};
TestPki make_test_pki();
// PEM text of a certificate.
std::string to_pem(X509* cert);

}  // namespace sim
