// tests/integration/sim: running envoy-sim to completion (token printing, refused options).
#include "SimHarness.hpp"

#include <cctype>

namespace simtest {

std::string run_sim(std::vector<std::string> args, int* exit_code) {
    args.insert(args.begin(), testsupport::built("tools/envoy-sim/envoy-sim"));
    testsupport::Process p(std::move(args));
    auto code = p.wait_exit(10s);
    if (exit_code) *exit_code = code.value_or(-1);
    std::string out = p.output();
    while (!out.empty() && std::isspace(static_cast<unsigned char>(out.back()))) out.pop_back();
    return out;
}

}  // namespace simtest
