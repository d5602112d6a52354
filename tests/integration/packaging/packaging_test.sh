#!/usr/bin/env bash
# tests/integration/packaging: the Venus OS scripts (packaging/venus) driven as a user would,
# installed into a temporary root through EE_ROOT, with Debian's daemontools (svscan,
# supervise, svstat, svc, multilog), a private dbus-daemon and the gateway simulator.
#   packaging_test.sh CASE REPO DAEMON SIMULATOR
# CASE: first_install, placeholder, idempotent, lifecycle, run_backoff, run_forwards_term.
# Waits are conditions polled until a deadline, never fixed sleeps.
set -uo pipefail

case_name=$1
repo=$2
daemon=$3
simulator=$4
capture=7.6.175_with_cts_3phase
bus_name=com.victronenergy.pvinverter.enphase_envoy

work=$(mktemp -d "${TMPDIR:-/tmp}/ee-packaging.XXXXXX")
root="$work/root"      # what the scripts see as /
logs="$work/logs"      # the test's own files, outside the installed tree
mkdir -p "$root" "$logs"
app="$root/data/etc/dbus-enphase-envoy"
export EE_ROOT="$root"
pids=()        # processes this test started, ended at exit
groups=()      # process groups this test started (svscan and everything below it)

cleanup() {
  local group pid
  for group in "${groups[@]}"; do kill -TERM -- "-$group" 2>/dev/null; done
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null; done
  for group in "${groups[@]}"; do wait_until 10 group_gone "$group" || kill -KILL -- "-$group" 2>/dev/null; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null; done
  rm -rf "$work"
}
trap cleanup EXIT

failures=0
check() {  # check DESCRIPTION COMMAND...: one assertion
  local what=$1
  shift
  if "$@"; then
    echo "ok: $what"
  else
    echo "FAILED: $what"
    failures=$((failures + 1))
  fi
}
finish() {
  if [ "$failures" -eq 0 ]; then echo "$case_name: passed"; exit 0; fi
  echo "$case_name: $failures check(s) failed"
  exit 1
}
fatal() { echo "FAILED: $*"; exit 1; }

# wait_until SECONDS COMMAND...: polls COMMAND until it succeeds or the deadline passes.
wait_until() {
  local deadline=$((SECONDS + $1))
  shift
  until "$@"; do
    [ "$SECONDS" -lt "$deadline" ] || return 1
    sleep 0.05
  done
}
alive() { kill -0 "$1" 2>/dev/null; }
group_gone() { ! kill -0 -- "-$1" 2>/dev/null; }
not() { ! "$@"; }
contains() { grep -qF -- "$2" "$1"; }
same_file() { cmp -s "$1" "$2"; }
mode_of() { stat -c %a "$1"; }
equals() { [ "$1" = "$2" ]; }
count_lines() { grep -cxF -- "$2" "$1" 2>/dev/null || true; }

stage() {
  "$repo/packaging/stage.sh" "$app" "$daemon" || fatal "packaging/stage.sh failed"
  mkdir -p "$root/service"
}
rc_line() { echo "bash \"$app/install.sh\""; }

start_simulator() {
  "$simulator" --capture "$repo/tests/data/envoy/$capture" --port 0 > "$logs/sim.log" 2>&1 &
  pids+=($!)
  wait_until 20 contains "$logs/sim.log" "listening on" || fatal "simulator did not start: $(cat "$logs/sim.log")"
  sim_port=$(sed -n 's/.*listening on https\{0,1\}:\/\/127\.0\.0\.1:\([0-9]*\).*/\1/p' "$logs/sim.log" | head -n 1)
}
token() { "$simulator" --capture "$repo/tests/data/envoy/$capture" --make-token owner | tail -n 1; }
write_config() {
  local token_line=""
  if grep -q "<web-tokens>true" "$repo/tests/data/envoy/$capture/info"; then
    token_line="token = $(token)"
  fi
  printf '[DEFAULT]\nlogging = INFO\n\n[ENVOY]\naddress = 127.0.0.1:%s\n%s\n\n[ENERGY]\nvolatile_dir = %s/run\n' \
    "$sim_port" "$token_line" "$root" > "$app/config.ini"
}
start_bus() {
  dbus-daemon --session --nofork --nopidfile --print-address=1 > "$logs/bus.address" 2> "$logs/bus.log" &
  pids+=($!)
  wait_until 10 contains "$logs/bus.address" "unix:" || fatal "dbus-daemon did not start: $(cat "$logs/bus.log")"
  DBUS_SESSION_BUS_ADDRESS=$(head -n 1 "$logs/bus.address")
  export DBUS_SESSION_BUS_ADDRESS
}
start_svscan() {
  setsid svscan "$root/service" > "$logs/svscan.log" 2>&1 &
  groups+=($!)
}
# Prints the pid svstat reports when the service is up for more than MIN seconds.
up_pid() {  # up_pid SERVICE_DIR MIN_SECONDS
  svstat "$1" 2>/dev/null | sed -n "s/.*: up (pid \([0-9]*\)) \([0-9]*\) seconds.*/\1 \2/p" \
    | awk -v min="$2" '$2 > min { print $1 }'
}
is_up_longer_than() { [ -n "$(up_pid "$1" "$2")" ]; }
is_up_with_new_pid() { local pid; pid=$(up_pid "$1" -1); [ -n "$pid" ] && [ "$pid" != "$2" ]; }
bus_serial() {
  dbus-send --session --print-reply --reply-timeout=2000 --dest="$bus_name" /Serial com.victronenergy.BusItem.GetValue 2>/dev/null \
    | sed -n 's/.*string "\(.*\)".*/\1/p'
}
serial_is() { [ "$(bus_serial)" = "$1" ]; }
name_owned() {
  dbus-send --session --print-reply --dest=org.freedesktop.DBus / org.freedesktop.DBus.NameHasOwner "string:$bus_name" 2>/dev/null \
    | grep -q "boolean true"
}
supervise_gone() { svstat "$1" 2>&1 | grep -q "supervise not running"; }
tree_listing() {  # every path with type, mode and link target, and the content hash of files
  (cd "$root" && find . -printf '%p %y %m %l\n' | sort &&
     find . -type f -print0 | sort -z | xargs -0 md5sum)
}

case "$case_name" in
first_install)
  stage
  "$app/install.sh" > "$logs/out" 2>&1
  code=$?
  check "install.sh without config.ini refuses" not equals "$code" 0
  check "it created config.ini from the sample" same_file "$app/config.sample.ini" "$app/config.ini"
  check "config.ini is private (0600)" equals "$(mode_of "$app/config.ini")" 600
  check "the message says config.ini was created" contains "$logs/out" "created $app/config.ini"
  check "the message asks to edit it" contains "$logs/out" "edit it"
  check "no service link yet" not test -e "$root/service/dbus-enphase-envoy"
  check "no rc.local yet" not test -e "$root/data/rc.local"
  "$app/install.sh" > "$logs/out2" 2>&1
  check "the second run refuses the sample's placeholder" contains "$logs/out2" "$app/config.ini: [ENVOY] address = IP_ADDR_OR_FQDN: expected the IP address or host name of the gateway instead of the placeholder"
  check "the second run does not overwrite config.ini" same_file "$app/config.sample.ini" "$app/config.ini"
  cat "$logs/out" "$logs/out2"
  finish
  ;;
placeholder)
  # install.sh asks the daemon (--check-config): its one error line, exit code 2, nothing installed.
  stage
  printf '[ENVOY]\naddress = IP_ADDR_OR_FQDN\n' > "$app/config.ini"
  "$app/install.sh" > "$logs/out" 2>&1
  code=$?
  check "install.sh refuses a placeholder address" not equals "$code" 0
  check "the message is the daemon's line naming the key and the placeholder" contains "$logs/out" \
    "$app/config.ini: [ENVOY] address = IP_ADDR_OR_FQDN: expected the IP address or host name of the gateway instead of the placeholder; fix it"
  check "no service link" not test -e "$root/service/dbus-enphase-envoy"
  check "no rc.local" not test -e "$root/data/rc.local"
  "$daemon" --check-config --config "$app/config.ini" > "$logs/direct" 2>&1
  check "--check-config exits with code 2" equals "$?" 2
  check "--check-config says why in one ERROR line" equals "$(grep -c '^ERROR: ' "$logs/direct")" 1
  printf '[ENVOY]\naddress = 192.0.2.1\n\n[MQTT]\nenabled = 1\nbroker_address = IP_ADDR_OR_FQDN\n' > "$app/config.ini"
  "$app/install.sh" > "$logs/out2" 2>&1
  code=$?
  check "install.sh refuses a placeholder broker when MQTT is on" not equals "$code" 0
  check "the message names [MQTT] broker_address" contains "$logs/out2" "[MQTT] broker_address = IP_ADDR_OR_FQDN: expected"
  printf '[ENVOY]\naddress = 192.0.2.1\n\n[PV]\nposition = 5\n' > "$app/config.ini"
  "$app/install.sh" > "$logs/out3" 2>&1
  code=$?
  check "install.sh refuses any bad value, not only placeholders" not equals "$code" 0
  check "the message names the bad value" contains "$logs/out3" "[PV] position = 5: expected 0 (AC input 1)"
  check "still no service link" not test -e "$root/service/dbus-enphase-envoy"
  printf '[ENVOY]\naddress = 192.0.2.1\n\n[MQTT]\nenabled = 0\nbroker_address = IP_ADDR_OR_FQDN\n' > "$app/config.ini"
  "$app/install.sh" > "$logs/out4" 2>&1
  code=$?
  check "the broker placeholder is fine while MQTT is off" equals "$code" 0
  "$daemon" --check-config --config "$app/config.ini" > "$logs/direct2" 2>&1
  check "--check-config exits with 0 for a usable file" equals "$?" 0
  printf '[ENVOY]\naddress = 192.0.2.1\n\n[PV]\nmaxx = 1\n' > "$app/config.ini"
  "$app/install.sh" > "$logs/out5" 2>&1
  code=$?
  check "an unknown key is no reason to refuse" equals "$code" 0
  check "but its warning is shown" contains "$logs/out5" "WARNING: [PV] maxx is not a known key; ignored"
  # Installed now: a file broken later (or a stricter update) must not unregister the service at
  # the next boot; the run says why, and the service logs it until the file is fixed.
  printf '[ENVOY]\naddress = 192.0.2.1\n\n[PV]\nposition = 5\n' > "$app/config.ini"
  "$app/install.sh" > "$logs/out6" 2>&1
  code=$?
  check "once installed, a bad value does not stop the boot run" equals "$code" 0
  check "it says what is wrong" contains "$logs/out6" "WARNING: $app/config.ini: [PV] position = 5: expected 0 (AC input 1)"
  check "the service stays linked" test -L "$root/service/dbus-enphase-envoy"
  cat "$logs/out" "$logs/direct" "$logs/out2" "$logs/out3" "$logs/out4" "$logs/out5" "$logs/out6"
  finish
  ;;
idempotent)
  stage
  printf '[ENVOY]\naddress = 192.0.2.1\n' > "$app/config.ini"
  chmod 0644 "$app/config.ini"
  "$app/install.sh" > "$logs/out" 2>&1
  code=$?
  check "install.sh accepts a real address" equals "$code" 0
  check "an existing config.ini is made private (0600)" equals "$(mode_of "$app/config.ini")" 600
  check "the service is linked" equals "$(readlink "$root/service/dbus-enphase-envoy")" "$app/service"
  check "rc.local was created with mode 0755" equals "$(mode_of "$root/data/rc.local")" 755
  check "rc.local starts with #!/bin/bash" equals "$(head -n 1 "$root/data/rc.local")" "#!/bin/bash"
  check "rc.local has the boot line once" equals "$(count_lines "$root/data/rc.local" "$(rc_line)")" 1
  before=$(tree_listing)
  "$app/install.sh" > "$logs/out2" 2>&1
  code=$?
  check "the second install.sh succeeds" equals "$code" 0
  check "the second install.sh changes nothing" equals "$(tree_listing)" "$before"
  check "still one service entry" equals "$(ls "$root/service" | wc -l)" 1
  # An rc.local of the user's (no final newline) keeps its lines; uninstall takes back only ours.
  printf '#!/bin/bash\necho mine' > "$root/data/rc.local"
  chmod 0750 "$root/data/rc.local"
  "$app/install.sh" > "$logs/out3" 2>&1
  check "the user's rc.local line is kept" equals "$(sed -n 2p "$root/data/rc.local")" "echo mine"
  check "our line follows on its own line" equals "$(sed -n 3p "$root/data/rc.local")" "$(rc_line)"
  check "the user's rc.local mode is kept" equals "$(mode_of "$root/data/rc.local")" 750
  "$app/uninstall.sh" > "$logs/out4" 2>&1
  check "uninstall.sh leaves the user's rc.local" equals "$(cat "$root/data/rc.local")" "$(printf '#!/bin/bash\necho mine')"
  check "uninstall.sh removes the link" not test -e "$root/service/dbus-enphase-envoy"
  # An rc.local that ends with "exit 0" (after it, nothing runs) and has the unquoted line of an
  # earlier version: the line goes before the exit, once.
  printf '#!/bin/bash\nbash %s/install.sh\necho mine\nexit 0\n\n' "$app" > "$root/data/rc.local"
  "$app/install.sh" > "$logs/out5" 2>&1
  check "install.sh succeeds with a closing exit 0" equals "$?" 0
  check "the boot line comes before exit 0" equals "$(sed -n 3p "$root/data/rc.local")" "$(rc_line)"
  check "exit 0 stays last" equals "$(sed -n 4p "$root/data/rc.local")" "exit 0"
  check "the unquoted line of the earlier version is gone" equals "$(count_lines "$root/data/rc.local" "bash $app/install.sh")" 0
  check "the boot line is there once" equals "$(count_lines "$root/data/rc.local" "$(rc_line)")" 1
  check "the boot line runs the installer" bash -n "$root/data/rc.local"
  cat "$logs/out" "$logs/out2" "$logs/out3" "$logs/out4" "$logs/out5"
  finish
  ;;
lifecycle)
  stage
  start_bus
  start_simulator
  write_config
  secret=$(sed -n 's/^token = //p' "$app/config.ini")
  echo "token cache" > "$app/token.cache"
  export EE_CONFIG_ERROR_BACKOFF=2
  start_svscan
  "$app/install.sh" > "$logs/out" 2>&1 || fatal "install.sh failed: $(cat "$logs/out")"
  link="$root/service/dbus-enphase-envoy"
  check "svstat reports the service up for more than 5 s" wait_until 40 is_up_longer_than "$link" 5
  first_pid=$(up_pid "$link" -1)
  expected_serial=$(sed -n 's/.*<sn>\([^<]*\)<\/sn>.*/\1/p' "$repo/tests/data/envoy/$capture/info" | head -n 1)
  check "D-Bus /Serial is the gateway's serial $expected_serial" wait_until 30 serial_is "$expected_serial"
  log="$root/var/log/dbus-enphase-envoy/current"
  check "multilog writes the daemon's log" wait_until 20 contains "$log" "dbus-enphase-envoy"
  check "log lines carry TAI64N stamps" wait_until 5 grep -q '^@4000' "$log"
  check "the token is not in the log" not contains "$log" "$secret"

  "$app/restart.sh" > "$logs/out2" 2>&1
  check "restart.sh succeeds" equals "$?" 0
  check "restart.sh gives a new pid" wait_until 30 is_up_with_new_pid "$link" "$first_pid"
  check "D-Bus /Serial is back after the restart" wait_until 30 serial_is "$expected_serial"
  touch "$app/energy.state"
  "$app/uninstall.sh" > "$logs/out3" 2>&1
  check "uninstall.sh succeeds" equals "$?" 0
  check "the daemon left the bus" wait_until 20 not name_owned
  check "supervise of the service exited" wait_until 20 supervise_gone "$app/service"
  check "supervise of the logger exited" wait_until 20 supervise_gone "$app/service/log"
  check "no service link" not test -e "$link"
  check "no rc.local line" equals "$(count_lines "$root/data/rc.local" "$(rc_line)")" 0
  check "config.ini is kept" test -s "$app/config.ini"
  check "the token cache is kept" test -f "$app/token.cache"
  check "the energy files are kept" test -f "$app/energy.state"
  if [ "$failures" -gt 0 ]; then
    echo "--- install/restart/uninstall output"; cat "$logs/out" "$logs/out2" "$logs/out3"
    echo "--- svscan"; cat "$logs/svscan.log"
    echo "--- daemon log"; tai64nlocal < "$log" 2>/dev/null | tail -n 40
  fi
  finish
  ;;
run_backoff)
  stage
  printf '[ENVOY]\naddress = IP_ADDR_OR_FQDN\n' > "$app/config.ini"
  cd "$app/service" || fatal "no service folder"
  started=$SECONDS
  EE_CONFIG_ERROR_BACKOFF=2 ./run > "$logs/out" 2>&1
  code=$?
  elapsed=$((SECONDS - started))
  check "run exits with the daemon's code 2" equals "$code" 2
  check "run waited the back-off (2 s) before exiting" test "$elapsed" -ge 2
  check "the daemon's error reached run's output" contains "$logs/out" "IP_ADDR_OR_FQDN"
  check "run says it will retry" contains "$logs/out" "next try in 2 s"
  EE_CONFIG_ERROR_BACKOFF=600 ./run > "$logs/out2" 2>&1 &
  run_pid=$!
  pids+=("$run_pid")
  wait_until 20 contains "$logs/out2" "next try in 600 s" || fatal "run did not reach its back-off: $(cat "$logs/out2")"
  started=$SECONDS
  kill -TERM "$run_pid"
  check "SIGTERM ends the back-off at once" wait_until 5 not alive "$run_pid"
  check "it did not wait the back-off" test $((SECONDS - started)) -lt 5
  cat "$logs/out" "$logs/out2"
  finish
  ;;
run_backoff_fast_exits)
  stage
  start_bus
  start_simulator
  write_config
  # The name is held by another driver for this gateway: exit code 3, then the back-off.
  "$daemon" --config "$app/config.ini" > "$logs/first" 2>&1 &
  pids+=($!)
  wait_until 30 name_owned || fatal "the first daemon did not get on the bus: $(cat "$logs/first")"
  cd "$app/service" || fatal "no service folder"
  started=$SECONDS
  EE_CONFIG_ERROR_BACKOFF=2 ./run > "$logs/out" 2>&1
  code=$?
  check "a taken D-Bus name exits with code 3" equals "$code" 3
  check "run waited its back-off (2 s)" test $((SECONDS - started)) -ge 2
  check "run says why and when it tries again" contains "$logs/out" "its D-Bus name belongs to another process"
  # Any other fast exit (here: no bus at all) waits too.
  started=$SECONDS
  DBUS_SESSION_BUS_ADDRESS=unix:path=$root/no-bus EE_FAST_EXIT_BACKOFF=2 ./run > "$logs/out2" 2>&1
  code=$?
  check "no bus exits with code 1" equals "$code" 1
  check "run waited the fast-exit back-off (2 s)" test $((SECONDS - started)) -ge 2
  check "run says so" contains "$logs/out2" "next try in 2 s"
  cat "$logs/out" "$logs/out2"
  finish
  ;;
run_forwards_term)
  stage
  start_bus
  start_simulator
  write_config
  cd "$app/service" || fatal "no service folder"
  ./run > "$logs/out" 2>&1 &
  run_pid=$!
  pids+=("$run_pid")
  daemon_pid() { pgrep -P "$run_pid"; }   # the daemon is run's only child
  has_daemon() { daemon_pid > /dev/null; }
  check "run starts the daemon as its child" wait_until 20 has_daemon
  child=$(daemon_pid)
  check "the daemon gets on the bus" wait_until 30 name_owned
  kill -TERM "$run_pid"
  check "run exits after SIGTERM" wait_until 15 not alive "$run_pid"
  wait "$run_pid"
  code=$?
  check "run exits with the daemon's code 0" equals "$code" 0
  check "the daemon got the SIGTERM and exited" not alive "${child:-0}"
  check "the daemon's output went through run" contains "$logs/out" "dbus-enphase-envoy"
  [ "$failures" -eq 0 ] || cat "$logs/out"
  finish
  ;;
*)
  echo "unknown case $case_name" >&2
  exit 2
  ;;
esac
