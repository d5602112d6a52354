#!/usr/bin/env bash
# Builds the Venus OS release archives: dbus-enphase-envoy cross-compiled for armhf (Cerbo GX,
# Venus GX, CCGX, Raspberry Pi 2/3) and arm64 (Ekrano GX, Raspberry Pi 4/5), stripped, with
# libstdc++ and libgcc linked in, inih linked statically and libmosquitto shipped in lib/
# (found through RUNPATH $ORIGIN/lib). Only glibc, libdbus-1, libcurl and OpenSSL come from
# the device. Fails loudly when the binary or a shipped library needs more than that, a
# glibc symbol version above 2.35 (Venus OS 3.x, Yocto Kirkstone), or the archive is 3 MB
# or more.
#   scripts/release.sh [--check] [ARCH...]    ARCH: armhf, arm64 (default: both)
# Output: out/dbus-enphase-envoy-<version>-<arch>.tar.gz, unpacking to dbus-enphase-envoy/.
# --check then runs scripts/release-check.sh on them (qemu user mode against the simulator).
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"
. scripts/lib/arch.sh

check=0
arches=()
for arg in "$@"; do
  case "$arg" in
    --check) check=1 ;;
    armhf|arm64) arches+=("$arg") ;;
    *) echo "usage: scripts/release.sh [--check] [armhf] [arm64]" >&2; exit 2 ;;
  esac
done
[ ${#arches[@]} -gt 0 ] || arches=(armhf arm64)

version=$(sed -n 's/^project(dbus-enphase-envoy VERSION \([0-9.]*\).*/\1/p' CMakeLists.txt)
[ -n "$version" ] || { echo "release.sh: no VERSION in project() of CMakeLists.txt" >&2; exit 1; }
max_archive_bytes=$((3 * 1024 * 1024))
# What the binary and its shipped libraries may load from the device.
system_libraries='^(libc\.so\.6|libm\.so\.6|libdl\.so\.2|libpthread\.so\.0|librt\.so\.1|ld-linux-armhf\.so\.3|ld-linux-aarch64\.so\.1|libdbus-1\.so\.3|libcurl\.so\.4|libssl\.so\.3|libcrypto\.so\.3)$'
shipped_libraries=(libmosquitto.so.1)

die() { echo "release.sh: $*" >&2; exit 1; }

needed_of() { readelf -d -W "$1" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'; }

scripts/install-cross-deps.sh "${arches[@]}"
mkdir -p out

for arch in "${arches[@]}"; do
  triplet=$(triplet_of "$arch")
  build="build-$arch"
  root="$repo/$build/root"
  libdir="$root/usr/lib/$triplet"
  echo "== $arch: configuring and building in $build"
  # Compiler and linker flags: cmake/shipped-flags.cmake (the benchmark uses the same).
  cmake -S . -B "$build" -G Ninja -C "$repo/cmake/shipped-flags.cmake" \
    -DCMAKE_TOOLCHAIN_FILE="$repo/cmake/toolchains/$arch.cmake" \
    -DEE_CROSS_ROOT="$root" \
    -DEE_BUILD_TESTS=OFF -DEE_BUILD_SIMULATOR=OFF \
    -DCMAKE_BUILD_WITH_INSTALL_RPATH=ON \
    "-DCMAKE_INSTALL_RPATH=\$ORIGIN/lib" \
    -Dpkgcfg_lib_INIH_inih="$libdir/libinih.a" \
    > "$build/configure.log" 2>&1 || { cat "$build/configure.log"; die "configuring $arch failed"; }
  cmake --build "$build" -j2 --target dbus-enphase-envoy

  echo "== $arch: staging"
  stage="$build/stage/dbus-enphase-envoy"
  rm -rf "$build/stage"
  libraries=()
  for library in "${shipped_libraries[@]}"; do
    libraries+=("$(readlink -f "$libdir/$library")")
  done
  packaging/stage.sh "$stage" "$build/dbus-enphase-envoy" "${libraries[@]}"
  # The libraries keep the soname the binary asks for.
  for i in "${!shipped_libraries[@]}"; do
    real=$(basename "${libraries[$i]}")
    [ "$real" = "${shipped_libraries[$i]}" ] || mv "$stage/lib/$real" "$stage/lib/${shipped_libraries[$i]}"
  done
  "$triplet-strip" --strip-all "$stage/dbus-enphase-envoy"
  for library in "$stage"/lib/*; do "$triplet-strip" --strip-unneeded "$library"; done

  echo "== $arch: checking what it needs from the device"
  runpath=$(readelf -d -W "$stage/dbus-enphase-envoy" | sed -n 's/.*(RUNPATH).*\[\(.*\)\]/\1/p; s/.*(RPATH).*\[\(.*\)\]/\1/p')
  [ "$runpath" = '$ORIGIN/lib' ] || die "$arch binary has RUNPATH '$runpath', expected \$ORIGIN/lib"
  for file in "$stage/dbus-enphase-envoy" "$stage"/lib/*; do
    while read -r needed; do
      if ! grep -qE "$system_libraries" <<< "$needed" && [ ! -f "$stage/lib/$needed" ]; then
        die "$arch: $(basename "$file") needs $needed, which Venus OS does not guarantee and the archive does not ship"
      fi
    done < <(needed_of "$file")
  done
  tests/integration/packaging/check_glibc.sh --max 2.35 "$stage/dbus-enphase-envoy" "$stage"/lib/* \
    || die "$arch: a glibc symbol version above 2.35 is needed (Venus OS 3.x has glibc 2.35)"

  archive="out/dbus-enphase-envoy-$version-$arch.tar.gz"
  tar --owner=0 --group=0 --numeric-owner --sort=name -C "$build/stage" -czf "$archive" dbus-enphase-envoy
  size=$(stat -c %s "$archive")
  [ "$size" -lt "$max_archive_bytes" ] || die "$archive is $size bytes, more than 3 MB"
  echo "== $arch: $archive ($size bytes; binary $(stat -c %s "$stage/dbus-enphase-envoy") bytes)"
done

if [ $check -eq 1 ]; then
  checks=()
  for arch in "${arches[@]}"; do checks+=("out/dbus-enphase-envoy-$version-$arch.tar.gz"); done
  scripts/release-check.sh "${checks[@]}"
fi
