#!/usr/bin/env bash
# tests/integration/packaging: check_glibc.sh itself: it must pass a binary within the
# limit and fail one above it, naming the version, and refuse a file that is not ELF.
#   check_glibc_test.sh CHECK_GLIBC BINARY
set -uo pipefail
checker=$1
binary=$2
failures=0
expect() {  # expect DESCRIPTION EXPECTED_CODE OUTPUT_PATTERN COMMAND...
  local what=$1 want=$2 pattern=$3
  shift 3
  local out code
  out=$("$@" 2>&1)
  code=$?
  if [ "$code" -eq "$want" ] && grep -qE -- "$pattern" <<< "$out"; then
    echo "ok: $what"
  else
    echo "FAILED: $what (exit $code, output: $out)"
    failures=$((failures + 1))
  fi
}
highest=$(readelf -V -W "$binary" | grep -oE 'GLIBC_[0-9.]+' | sed 's/GLIBC_//' | sort -t. -k1,1n -k2,2n | tail -n 1)
[ -n "$highest" ] || { echo "FAILED: $binary needs no versioned glibc symbol, cannot test"; exit 1; }
major=${highest%%.*}
minor=${highest#*.}
minor=${minor%%.*}
below="$major.$((minor - 1))"
expect "a limit equal to the highest version passes" 0 "GLIBC_$highest" "$checker" --max "$highest" "$binary"
expect "a limit above it passes" 0 "allowed: 9.99" "$checker" --max 9.99 "$binary"
expect "a limit below it fails and names the version" 1 "needs GLIBC_$highest, newer than the allowed GLIBC_$below" "$checker" --max "$below" "$binary"
expect "a file that is not ELF is refused" 2 "not an ELF file" "$checker" "$checker"
if [ "$failures" -eq 0 ]; then echo "check_glibc: passed"; exit 0; fi
exit 1
