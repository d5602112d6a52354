#!/usr/bin/env bash
# Installs the Debian 12 packages needed to build, run and test dbus-enphase-envoy (as root,
# or through sudo). Does nothing when everything is already installed.
set -euo pipefail
. "$(dirname "$0")/lib/apt.sh"

packages=(
  build-essential cmake ninja-build pkg-config git
  libcurl4-openssl-dev libssl-dev nlohmann-json3-dev libinih-dev libcli11-dev
  libdbus-1-dev libmosquitto-dev libcpp-httplib-dev libgtest-dev
  dbus mosquitto mosquitto-clients openssl curl
  daemontools
  python3-dbus
  clang-14 libclang-rt-14-dev
)

apt_install_missing "${packages[@]}"
