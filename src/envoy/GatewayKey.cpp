// envoy: public key pins (OpenSSL for the SubjectPublicKeyInfo digest) and their files.
#include "envoy/GatewayKey.hpp"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/sha.h>
#include <openssl/x509.h>

#include <memory>

#include "util/AtomicFile.hpp"
#include "util/Text.hpp"

namespace envoy {
namespace {

constexpr std::string_view kPrefix = "sha256//";
constexpr std::size_t kBase64Length = 44;  // 32 bytes

}  // namespace

std::optional<std::string> public_key_pin(std::string_view certificate_pem) {
    std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new_mem_buf(certificate_pem.data(), static_cast<int>(certificate_pem.size())),
                                                  &BIO_free);
    if (!bio) return std::nullopt;
    std::unique_ptr<X509, decltype(&X509_free)> cert(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr), &X509_free);
    if (!cert) return std::nullopt;
    unsigned char* der = nullptr;
    const int length = i2d_X509_PUBKEY(X509_get_X509_PUBKEY(cert.get()), &der);
    if (length <= 0 || der == nullptr) return std::nullopt;
    unsigned char digest[SHA256_DIGEST_LENGTH];
    SHA256(der, static_cast<std::size_t>(length), digest);
    OPENSSL_free(der);
    unsigned char encoded[kBase64Length + 1];
    EVP_EncodeBlock(encoded, digest, SHA256_DIGEST_LENGTH);
    return std::string(kPrefix) + reinterpret_cast<const char*>(encoded);
}

bool is_pin(std::string_view text) {
    if (text.size() != kPrefix.size() + kBase64Length || text.substr(0, kPrefix.size()) != kPrefix) return false;
    for (char c : text.substr(kPrefix.size())) {
        const bool base64 = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' ||
                            c == '/' || c == '=';
        if (!base64) return false;
    }
    return true;
}

std::optional<std::string> PinStore::read(const std::string& serial) const {
    const auto text = util::read_whole_file(path(serial));
    if (!text || !is_pin(util::trim(*text))) return std::nullopt;
    return std::string(util::trim(*text));
}

util::Problem PinStore::write(const std::string& serial, const std::string& pin) const {
    return util::write_atomic(path(serial), pin + "\n", 0600);
}

}  // namespace envoy
