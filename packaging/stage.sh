#!/usr/bin/env bash
# packaging: lays out the folder that goes to a GX device (/data/etc/dbus-enphase-envoy):
# the daemon, the libraries shipped beside it (lib/), config.sample.ini, the Venus scripts
# and service, the device README and the LICENSE. Used by scripts/release.sh and by the
# packaging tests, so both see the same layout.
#   packaging/stage.sh DEST BINARY [LIBRARY...]
set -euo pipefail
if [ $# -lt 2 ]; then
  echo "usage: packaging/stage.sh DEST BINARY [LIBRARY...]" >&2
  exit 2
fi
repo=$(cd "$(dirname "$0")/.." && pwd)
dest=$1
binary=$2
shift 2
[ -f "$binary" ] || { echo "stage.sh: no binary at $binary" >&2; exit 1; }

venus="$repo/packaging/venus"
mkdir -p "$dest/service/log"
install -m 0755 "$binary" "$dest/dbus-enphase-envoy"
install -m 0644 "$repo/config.sample.ini" "$dest/config.sample.ini"
install -m 0644 "$repo/LICENSE" "$dest/LICENSE"
install -m 0644 "$venus/README.md" "$dest/README.md"
install -m 0644 "$venus/common.sh" "$dest/common.sh"
for script in install.sh uninstall.sh restart.sh service/run service/log/run; do
  install -m 0755 "$venus/$script" "$dest/$script"
done
if [ $# -gt 0 ]; then
  mkdir -p "$dest/lib"
  for library in "$@"; do
    install -m 0644 "$library" "$dest/lib/$(basename "$library")"
  done
fi
