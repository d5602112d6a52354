#!/usr/bin/env bash
# Builds the libFuzzer targets (fuzz/, clang, ASan + UBSan + LeakSanitizer) in build-fuzz/ and
# runs each for a given time, two at a time, seeded from tests/data and fuzz/corpus. Fails on
# any crash, leak, timeout, uncaught exception or sanitizer report; the reproducer is left in
# build-fuzz/artifacts/ and the target's log in build-fuzz/logs/.
#   scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]    default: 60 s, every target fuzz/ builds
# Environment: EE_FUZZ_JOBS (parallel fuzzers, default 2), EE_FUZZ_BUILD_DIR (default build-fuzz),
# CXX (default: clang++-14 or clang++; as root on Debian, clang-14 is installed when missing).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

seconds=${1:-60}
shift || true
if ! [[ $seconds =~ ^[0-9]+$ ]] || [ "$seconds" -lt 1 ]; then
  echo "fuzz.sh: SECONDS_PER_TARGET must be a positive whole number, not '$seconds'" >&2
  exit 2
fi
jobs=${EE_FUZZ_JOBS:-2}
build_dir=${EE_FUZZ_BUILD_DIR:-build-fuzz}
targets=("$@")

cxx=${CXX:-}
if [ -z "$cxx" ] && ! command -v clang++-14 >/dev/null && ! command -v clang++ >/dev/null \
   && [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
  . scripts/lib/apt.sh
  apt_install_missing clang-14 libclang-rt-14-dev
fi
if [ -z "$cxx" ]; then
  cxx=$(command -v clang++-14 || command -v clang++ || true)
fi
if [ -z "$cxx" ] || ! "$cxx" --version | grep -qi clang; then
  echo "fuzz.sh: needs clang++ with libFuzzer (Debian: clang-14 libclang-rt-14-dev)" >&2
  exit 2
fi

started=$(date +%s)
CXX=$cxx cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DEE_WERROR=ON -DEE_BUILD_FUZZERS=ON \
  -DEE_BUILD_TESTS=OFF -DEE_BUILD_SIMULATOR=OFF >/dev/null
cmake --build "$build_dir" -j "${EE_FUZZ_BUILD_JOBS:-2}" --target ee_fuzzers
built=$(date +%s)
# The targets are the ones fuzz/CMakeLists.txt builds.
mapfile -t all_targets < <(find "$build_dir/fuzz" -maxdepth 1 -name '*_fuzz' -type f -executable -printf '%f\n' | sed 's/_fuzz$//' | sort)
[ ${#targets[@]} -gt 0 ] || targets=("${all_targets[@]}")

# Seeds: the matching files of tests/data (captures and hand-made inputs) and fuzz/corpus/<target>.
seeds_for() {
  local data=tests/data
  case $1 in
    stream) ls $data/parsers/*.sse ;;
    stream_event) ls $data/parsers/stream_event_*.json ;;
    readings) ls $data/envoy/*/ivp_meters_readings $data/parsers/readings_*.json ;;
    meters) ls $data/envoy/*/ivp_meters ;;
    production_json) ls $data/envoy/*/production.json $data/envoy/*/production.json_details_1 $data/parsers/production_*.html ;;
    api_v1_production) ls $data/envoy/*/api_v1_production ;;
    inverters) ls $data/envoy/*/api_v1_production_inverters ;;
    inventory) ls $data/envoy/*/inventory $data/envoy/*/inventory.json* $data/parsers/inventory_*.json ;;
    ensemble) ls $data/envoy/*/ivp_ensemble_inventory $data/envoy/*/ivp_ensemble_power $data/envoy/*/ivp_ensemble_secctrl \
                 $data/envoy/8.2.4382_ACB/production.json $data/envoy/8.3.5169_ACB_inventory/production.json ;;
    events) ls $data/parsers/event_*.json ;;
    info) ls $data/envoy/*/info ;;
    jwt) true ;;
    config) ls $data/config/*.ini config.sample.ini ;;
    redactor) ls $data/envoy/8.3.5169_ACB_inventory/* | grep -v _log.json | head -n 20 ;;
  esac 2>/dev/null || true
  [ -d "fuzz/corpus/$1" ] && find "fuzz/corpus/$1" -type f
  return 0
}

mkdir -p "$build_dir/seeds" "$build_dir/corpus" "$build_dir/artifacts" "$build_dir/logs"
for target in "${targets[@]}"; do
  if [ ! -x "$build_dir/fuzz/${target}_fuzz" ]; then
    echo "fuzz.sh: unknown target '$target' (one of: ${all_targets[*]})" >&2
    exit 2
  fi
  rm -rf "$build_dir/seeds/$target"
  mkdir -p "$build_dir/seeds/$target" "$build_dir/corpus/$target"
  n=0
  while read -r file; do
    [ -n "$file" ] || continue
    cp "$file" "$build_dir/seeds/$target/seed$((n += 1))"
  done < <(seeds_for "$target")
done

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:strict_string_checks=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

# Runs one target; prints one result line; returns non-zero on a finding.
run_target() {
  local target=$1 log="$build_dir/logs/$1.log" dict=()
  [ -f fuzz/json.dict ] && [ "$target" != config ] && [ "$target" != info ] && [ "$target" != jwt ] && dict=(-dict=fuzz/json.dict)
  local status=0
  "$build_dir/fuzz/${target}_fuzz" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
    -print_final_stats=1 "${dict[@]}" -artifact_prefix="$build_dir/artifacts/$target-" \
    "$build_dir/corpus/$target" "$build_dir/seeds/$target" >"$log" 2>&1 || status=$?
  local runs coverage
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo '?')
  coverage=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | grep -o '[0-9]*' || echo '?')
  if [ $status -ne 0 ] || grep -qE 'ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)|runtime error:|SUMMARY: ' "$log"; then
    echo "FAIL $target (exit $status): see $log"
    grep -E 'ERROR:|runtime error:|SUMMARY:|Test unit written' "$log" | head -5 | sed 's/^/    /'
    return 1
  fi
  echo "ok   $target: ${runs} runs, coverage ${coverage} edges, corpus $(find "$build_dir/corpus/$target" -type f | wc -l) inputs"
}
export -f run_target
export build_dir seconds

echo "fuzzing ${#targets[@]} targets for ${seconds} s each, ${jobs} at a time"
failed=0
printf '%s\n' "${targets[@]}" | xargs -P "$jobs" -I{} bash -c 'run_target {}' || failed=1
finished=$(date +%s)
echo "fuzz.sh: build $((built - started)) s, fuzzing $((finished - built)) s, total $((finished - started)) s"
if [ $failed -ne 0 ]; then
  echo "fuzz.sh: FAILED (reproduce: $build_dir/fuzz/TARGET_fuzz $build_dir/artifacts/FILE)" >&2
  exit 1
fi
echo "fuzz.sh: all ${#targets[@]} targets clean"
