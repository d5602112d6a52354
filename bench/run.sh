#!/usr/bin/env bash
# bench: one command for the whole benchmark. Builds the Release binaries (daemon, envoy-sim,
# ee-bench-listener) in build-bench/ when needed, then runs bench/bench.py, which writes
# bench/report.md and bench/report.json. Options go to bench.py (bench/run.sh --help):
#   bench/run.sh                          rates 1, 10 and 50 samples/s (30 s each) + callgrind
#   bench/run.sh --rate 10 --samples 600  one rate, a fixed number of samples
#   bench/run.sh --no-callgrind           skip the valgrind runs
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
build="${EE_BENCH_BUILD_DIR:-$repo/build-bench}"

if [ ! -f "$build/CMakeCache.txt" ]; then
  # The flags of the shipped binaries (cmake/shipped-flags.cmake, as scripts/release.sh), plus -g so
  # that callgrind_annotate names functions; -g does not change the generated code.
  cmake -S "$repo" -B "$build" -G Ninja -C "$repo/cmake/shipped-flags.cmake" -DCMAKE_CXX_FLAGS=-g \
    -DEE_BUILD_TESTS=OFF -DEE_BUILD_BENCH=ON >/dev/null
fi
cmake --build "$build" -j2 --target dbus-enphase-envoy envoy-sim ee-bench-listener ee-bench-floor >/dev/null
EE_BENCH_COMMAND="bench/run.sh $*" exec python3 "$repo/bench/bench.py" --build-dir "$build" "$@"
