#!/usr/bin/env bash
# Installs what the release build needs on Debian 12 (as root, or through sudo), doing
# nothing that is already done:
#  - on the build machine: the armhf and arm64 cross compilers and binutils, qemu user mode
#    to run their programs, cmake, ninja, pkg-config;
#  - per target architecture, a "cross root" build-<arch>/root: the target's -dev packages
#    and the libraries they need, downloaded with apt-get download and unpacked there.
# Why unpacked and not installed as :armhf/:arm64 packages (multiarch): Multi-Arch: same
# packages must have the same version for every architecture, and the build machine's
# amd64 OpenSSL often is a security update that the armhf/arm64 lists do not have yet, which
# makes libssl3:armhf uninstallable. An unpacked root has no such coupling and leaves the
# build machine's packages alone.
#   scripts/install-cross-deps.sh [ARCH...]   ARCH: armhf, arm64 (default: both)
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
. "$repo/scripts/lib/apt.sh"
. "$repo/scripts/lib/arch.sh"

arches=("$@")
[ ${#arches[@]} -gt 0 ] || arches=(armhf arm64)

# 1. Build machine.
host_packages=(cmake ninja-build pkg-config binutils file qemu-user xz-utils)
for arch in "${arches[@]}"; do
  triplet=$(triplet_of "$arch")
  host_packages+=("g++-$triplet" "binutils-$triplet")
done
apt_install_missing "${host_packages[@]}"

# 2. Cross roots.
target_dev=(libcurl4-openssl-dev libssl-dev libdbus-1-dev libmosquitto-dev libinih-dev)
arch_independent=(nlohmann-json3-dev libcli11-dev)
# Dependencies that are tools, not libraries, or that the cross toolchain already provides.
not_needed='^(dpkg|tar|sed|pkg-config|pkgconf|pkgconf-bin|libpkgconf3|libc6|libc6-dev|libgcc-s1|libstdc\+\+6|gcc-12-base|libelogind0|linux-libc-dev|libcrypt-dev|libnsl-dev|rpcsvc-proto|libtirpc-dev)$'

for arch in "${arches[@]}"; do
  root="$repo/build-$arch/root"
  wanted="${target_dev[*]} ${arch_independent[*]}"
  if [ -f "$root/.complete" ] && [ "$(cat "$root/.complete")" = "$wanted" ]; then
    continue
  fi
  if ! dpkg --print-foreign-architectures | grep -qx "$arch"; then
    echo "adding foreign architecture $arch (package lists only; nothing is installed for it)"
    "${apt_sudo[@]}" dpkg --add-architecture "$arch"
    apt_updated=0
  fi
  if ! apt-cache show "libcurl4-openssl-dev:$arch" >/dev/null 2>&1; then
    apt_update
  fi
  if ! apt-cache show "libcurl4-openssl-dev:$arch" >/dev/null 2>&1; then
    echo "install-cross-deps.sh: no $arch package lists (apt-get update failed?)" >&2
    exit 1
  fi
  qualified=()
  for package in "${target_dev[@]}"; do qualified+=("$package:$arch"); done
  mapfile -t closure < <(
    apt-cache depends --recurse --no-recommends --no-suggests --no-conflicts --no-breaks \
        --no-replaces --no-enhances "${qualified[@]}" \
      | grep -E "^[a-z0-9][^ ]*:$arch\$" | sed "s/:$arch\$//" | grep -vE "$not_needed" | sort -u)
  downloads=()
  for package in "${closure[@]}"; do downloads+=("$package:$arch"); done
  downloads+=("${arch_independent[@]}")

  echo "preparing $root (${#downloads[@]} packages)"
  rm -rf "$root" "$repo/build-$arch/debs"
  mkdir -p "$root" "$repo/build-$arch/debs"
  (cd "$repo/build-$arch/debs" && apt-get download -q "${downloads[@]}")
  for deb in "$repo/build-$arch/debs"/*.deb; do
    dpkg-deb -x "$deb" "$root"
  done
  # Absolute links (libdbus-1.so -> /lib/...) must point inside the root.
  while IFS= read -r link; do
    ln -sfn "$root$(readlink "$link")" "$link"
  done < <(find "$root" -type l -lname "/*")
  echo "$wanted" > "$root/.complete"
done
