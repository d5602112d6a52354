#!/usr/bin/env bash
# Checks release archives the way a GX device would use them, under qemu user mode: unpacks
# each, checks the layout, runs the cross-built binary's --version, then --once against the
# (native) gateway simulator on loopback, and requires the same meters JSON as the native
# build prints for the same capture (which tests/integration/once checks against the
# captures). The emulated program sees only the C library and the libraries Venus OS has
# (libcurl, libdbus-1, OpenSSL and what they need); libmosquitto must come from its lib/.
#   scripts/release-check.sh ARCHIVE...
# Uses EE_SIMULATOR and EE_NATIVE_DAEMON when set (e.g. from the CI's build/), otherwise
# builds both in build-pkg.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"
. scripts/lib/arch.sh
. scripts/lib/simulator.sh
[ $# -gt 0 ] || { echo "usage: scripts/release-check.sh ARCHIVE..." >&2; exit 2; }
captures=(7.6.175_with_cts_3phase 5.0.62)

die() { echo "release-check.sh: FAILED: $*" >&2; exit 1; }

simulator=${EE_SIMULATOR:-}
native=${EE_NATIVE_DAEMON:-}
if [ -z "$simulator" ] || [ -z "$native" ]; then
  [ -f build-pkg/CMakeCache.txt ] || cmake -S . -B build-pkg -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo > /dev/null
  cmake --build build-pkg -j2 --target envoy-sim dbus-enphase-envoy
  simulator=${simulator:-$repo/build-pkg/tools/envoy-sim/envoy-sim}
  native=${native:-$repo/build-pkg/dbus-enphase-envoy}
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/ee-release-check.XXXXXX")
trap 'stop_simulator; rm -rf "$work"' EXIT

meters_json() { grep -m 1 '^{"pv"' "$1" || true; }

passed=0
for archive in "$@"; do
  name=$(basename "$archive" .tar.gz)
  case "$name" in
    *-armhf) arch=armhf ;;
    *-arm64) arch=arm64 ;;
    *) die "$archive: the name does not end in -armhf.tar.gz or -arm64.tar.gz" ;;
  esac
  triplet=$(triplet_of "$arch")
  qemu=$(qemu_of "$arch")
  version=${name#dbus-enphase-envoy-}
  version=${version%-"$arch"}
  echo "== $name"
  scripts/install-cross-deps.sh "$arch"

  dir="$work/$arch"
  mkdir -p "$dir"
  tar -xzf "$archive" -C "$dir"
  app="$dir/dbus-enphase-envoy"
  for file in dbus-enphase-envoy config.sample.ini install.sh uninstall.sh restart.sh common.sh \
              service/run service/log/run README.md LICENSE lib/libmosquitto.so.1; do
    [ -e "$app/$file" ] || die "$archive has no dbus-enphase-envoy/$file"
  done
  for file in dbus-enphase-envoy install.sh uninstall.sh restart.sh service/run service/log/run; do
    [ -x "$app/$file" ] || die "$archive: dbus-enphase-envoy/$file is not executable"
  done

  # The device's libraries: everything of the cross root except what the archive must bring.
  system="$dir/system-libs"
  mkdir -p "$system"
  root="$repo/build-$arch/root"
  for library in "$root/usr/lib/$triplet"/*.so.* "$root/lib/$triplet"/*.so.*; do
    case "$(basename "$library")" in
      libmosquitto*|libinih*|libINIReader*|libstdc++*|libgcc_s*) ;;
      *) ln -sf "$library" "$system/" ;;
    esac
  done
  target=("$qemu" -L "/usr/$triplet" -E "LD_LIBRARY_PATH=$system" "$app/dbus-enphase-envoy")

  out=$("${target[@]}" --version 2>&1) || die "$arch --version failed: $out"
  [ "$out" = "dbus-enphase-envoy $version" ] || die "$arch --version printed '$out', expected 'dbus-enphase-envoy $version'"
  echo "ok: $arch --version: $out"

  for capture in "${captures[@]}"; do
    data="$repo/tests/data/envoy/$capture"
    start_simulator "$simulator" "$dir/sim.log" --capture "$data" --static || die "simulator did not start"
    token_line=""
    if grep -q "<web-tokens>true" "$data/info"; then
      token_line="token = $("$simulator" --capture "$data" --make-token owner | tail -n 1)"
    fi
    mkdir -p "$dir/state"
    printf '[DEFAULT]\nlogging = WARNING\n\n[ENVOY]\naddress = 127.0.0.1:%s\n%s\n\n[ENERGY]\nvolatile_dir = %s/run\nstate_dir = %s/state\n' \
      "$sim_port" "$token_line" "$dir" "$dir" > "$dir/config.ini"

    code=0
    timeout 120 "$native" --config "$dir/config.ini" --once > "$dir/native.out" 2>&1 || code=$?
    [ "$code" -eq 0 ] || die "native --once on $capture exited $code: $(cat "$dir/native.out")"
    code=0
    timeout 180 "${target[@]}" --config "$dir/config.ini" --once \
      > "$dir/target.out" 2>&1 || code=$?
    [ "$code" -eq 0 ] || die "$arch --once on $capture exited $code: $(cat "$dir/target.out")"
    stop_simulator

    expected=$(meters_json "$dir/native.out")
    actual=$(meters_json "$dir/target.out")
    [ -n "$expected" ] || die "the native --once printed no meters JSON for $capture: $(cat "$dir/native.out")"
    [ "$actual" = "$expected" ] || die "$arch --once on $capture printed
$actual
the native build printed
$expected"
    echo "ok: $arch --once on $capture: ${actual:0:100}..."
    passed=$((passed + 1))
  done
done
echo "release-check: $passed --once comparisons passed on ${#} archive(s)"
