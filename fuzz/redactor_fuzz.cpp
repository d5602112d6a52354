// fuzz: --capture's redaction (app::Redactor) over anything a gateway may answer: serials are
// learnt from it and everything is redacted, with the input itself also used as a secret.
#include <cstddef>
#include <cstdint>
#include <string>

#include "app/Redactor.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    app::Redactor redactor({text.substr(0, size / 8), "s3cret"});
    redactor.learn(text);
    const std::string once = redactor.redact(text);
    (void)redactor.redact(once);
    return 0;
}
