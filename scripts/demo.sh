#!/usr/bin/env bash
# Builds dbus-enphase-envoy and runs it on its embedded default, without any hardware: the
# gateway simulator serving a real capture on loopback, a private D-Bus (dbus-daemon
# --session), and a live view of what the daemon publishes there. Ctrl-C stops everything.
#   CAPTURE=<folder of tests/data/envoy>   gateway to simulate (default: a 3-phase D7.6 gateway)
#   TOKEN_USER=owner|installer             account type of the token (default installer: stream)
#   BUILD_DIR=<dir>                        build directory (default build)
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/simulator.sh
capture=${CAPTURE:-7.6.175_with_cts_3phase}
token_user=${TOKEN_USER:-installer}
build=${BUILD_DIR:-build}

scripts/install-deps.sh
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" -j "$(nproc)"

work=$(mktemp -d)
pids=()
cleanup() {
  stop_simulator
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 0' INT TERM

dbus-daemon --session --nofork --nopidfile --print-address=1 >"$work/bus" 2>/dev/null &
pids+=($!)
until [ -s "$work/bus" ]; do sleep 0.1; done
export DBUS_SESSION_BUS_ADDRESS=$(head -n 1 "$work/bus")

sim=$build/tools/envoy-sim/envoy-sim
start_simulator "$sim" "$work/sim.log" --capture "tests/data/envoy/$capture"
token=$("$sim" --capture "tests/data/envoy/$capture" --make-token "$token_user")

cat >"$work/config.ini" <<CONFIG
[DEFAULT]
logging = INFO
[ENVOY]
address = 127.0.0.1:$sim_port
token = $token
[GRID]
enabled = 1
[ENERGY]
state_dir = $work
volatile_dir = $work/run
CONFIG
chmod 600 "$work/config.ini"

echo "simulator: $capture on port $sim_port; private bus: $DBUS_SESSION_BUS_ADDRESS"
"$build/dbus-enphase-envoy" --config "$work/config.ini" 2>&1 | sed 's/^/daemon: /' &
pids+=($!)

text() {
  dbus-send --print-reply=literal --dest="$1" "$2" com.victronenergy.BusItem.GetText 2>/dev/null | tr -d ' ' || echo "-"
}
pv=com.victronenergy.pvinverter.enphase_envoy
grid=com.victronenergy.grid.enphase_envoy
while true; do
  sleep 1
  echo "live: PV $(text $pv /Ac/Power) (L1 $(text $pv /Ac/L1/Power) L2 $(text $pv /Ac/L2/Power) L3 $(text $pv /Ac/L3/Power))" \
       "$(text $pv /Ac/Energy/Forward) status $(text $pv /StatusCode) | grid $(text $grid /Ac/Power)" \
       "import $(text $grid /Ac/Energy/Forward) export $(text $grid /Ac/Energy/Reverse)"
done
