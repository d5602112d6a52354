#!/usr/bin/env bash
# Installs the Debian 12 packages needed to build, run and test dbus-enphase-envoy (as root,
# or through sudo). Does nothing when everything is already installed.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config git
  libcurl4-openssl-dev libssl-dev nlohmann-json3-dev libinih-dev libcli11-dev
  libdbus-1-dev libmosquitto-dev libcpp-httplib-dev libgtest-dev
  dbus mosquitto mosquitto-clients openssl curl
  daemontools
  clang-14 libclang-rt-14-dev
)

missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo_cmd=()
[ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
echo "installing: ${missing[*]}"
# A mirror may fail one index (seen with foreign-architecture lists); the install below still
# fails loudly if a package is really missing.
"${sudo_cmd[@]}" apt-get update -q || echo "install-deps.sh: apt-get update reported errors, going on with the lists it has" >&2
DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
