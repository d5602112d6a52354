#!/usr/bin/env bash
# tests/integration/packaging: fails when an ELF file needs a newer glibc symbol version
# than the oldest supported Venus OS has (3.x on Yocto Kirkstone: glibc 2.35). Reads the
# version-needs section (readelf -V, any architecture), the same versions objdump -T shows.
#   check_glibc.sh [--max 2.35] FILE...
set -euo pipefail
max=2.35
if [ "${1:-}" = "--max" ]; then
  max=$2
  shift 2
fi
[ $# -gt 0 ] || { echo "usage: check_glibc.sh [--max X.Y] FILE..." >&2; exit 2; }

version_key() { awk -F. '{ printf "%d%04d%04d\n", $1, $2, $3 }' <<< "$1"; }
limit=$(version_key "$max")
status=0
for file in "$@"; do
  [ -f "$file" ] || { echo "check_glibc.sh: no such file: $file" >&2; exit 2; }
  needs=$(readelf -V -W "$file") || { echo "check_glibc.sh: $file is not an ELF file" >&2; exit 2; }
  highest=$(awk '/Version needs section/ { on = 1; next } /Version (definition|symbols) section/ { on = 0 }
                 on { for (i = 1; i <= NF; i++) if ($i ~ /^GLIBC_[0-9.]+$/) print substr($i, 7) }' <<< "$needs" \
              | sort -t. -k1,1n -k2,2n -k3,3n | tail -n 1)
  if [ -z "$highest" ]; then
    echo "$file: needs no versioned glibc symbol"
  elif [ "$(version_key "$highest")" -gt "$limit" ]; then
    echo "$file: needs GLIBC_$highest, newer than the allowed GLIBC_$max" >&2
    status=1
  else
    echo "$file: highest glibc symbol version GLIBC_$highest (allowed: $max)"
  fi
done
exit $status
