#!/usr/bin/env bash
# tests/integration/packaging: the Venus OS scripts (packaging/venus) driven as a user would,
# installed into a temporary root through EE_ROOT, with Debian's daemontools (svscan,
# supervise, svstat, svc, multilog), a private dbus-daemon and the gateway simulator.
#   packaging_test.sh CASE REPO DAEMON SIMULATOR
# CASE: first_install, placeholder, idempotent, lifecycle, run_backoff, run_backoff_fast_exits,
# run_forwards_term; several gateways: gateways_two, gateways_uninstall, gateways_idempotent,
# gateways_bad_config (the scripts, with a stand-in daemon), gateways_end_to_end (the real daemon
# and two simulators).
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

start_simulator() {  # start_simulator [CAPTURE [LOG]]: sets sim_port
  local log=${2:-$logs/sim.log}
  "$simulator" --capture "$repo/tests/data/envoy/${1:-$capture}" --port 0 > "$log" 2>&1 &
  pids+=($!)
  wait_until 20 contains "$log" "listening on" || fatal "simulator did not start: $(cat "$log")"
  sim_port=$(sed -n 's/.*listening on https\{0,1\}:\/\/127\.0\.0\.1:\([0-9]*\).*/\1/p' "$log" | head -n 1)
}
token() { "$simulator" --capture "$repo/tests/data/envoy/${1:-$capture}" --make-token owner | tail -n 1; }
capture_serial() { sed -n 's/.*<sn>\([^<]*\)<\/sn>.*/\1/p' "$repo/tests/data/envoy/$1/info" | head -n 1; }
write_config_for() {  # write_config_for FILE CAPTURE PORT VOLATILE_DIR
  local token_line=""
  if grep -q "<web-tokens>true" "$repo/tests/data/envoy/$2/info"; then
    token_line="token = $(token "$2")"
  fi
  printf '[DEFAULT]\nlogging = INFO\n\n[ENVOY]\naddress = 127.0.0.1:%s\n%s\n\n[ENERGY]\nvolatile_dir = %s\n' \
    "$3" "$token_line" "$4" > "$1"
}
write_config() { write_config_for "$app/config.ini" "$capture" "$sim_port" "$root/run"; }
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
bus_serial() {  # bus_serial [BUS_NAME]
  dbus-send --session --print-reply --reply-timeout=2000 --dest="${1:-$bus_name}" /Serial com.victronenergy.BusItem.GetValue 2>/dev/null \
    | sed -n 's/.*string "\(.*\)".*/\1/p'
}
serial_is() { [ "$(bus_serial "${2:-}")" = "$1" ]; }   # serial_is SERIAL [BUS_NAME]
name_owned() {  # name_owned [BUS_NAME]
  dbus-send --session --print-reply --dest=org.freedesktop.DBus / org.freedesktop.DBus.NameHasOwner "string:${1:-$bus_name}" 2>/dev/null \
    | grep -q "boolean true"
}
supervise_gone() { svstat "$1" 2>&1 | grep -q "supervise not running"; }
tree_listing() {  # every path with type, mode and link target, and the content hash of files
  (cd "$root" && find . -printf '%p %y %m %l\n' | sort &&
     find . -type f -print0 | sort -z | xargs -0 md5sum)
}

# Several gateways: config.ini is the default one, garage.ini a second.
garage="$app/garage.ini"
default_link="$root/service/dbus-enphase-envoy"
garage_link="$root/service/dbus-enphase-envoy-garage"
rc_line_for() { echo "bash \"$app/install.sh\" --config \"$1\""; }
# The stand-in daemon for the scripts' logic: --check-config goes to the real daemon; a run
# appends its arguments to $logs/started, prints them (to its service's log) and waits for SIGTERM.
install_stub() {
  cat > "$app/dbus-enphase-envoy" <<EOF
#!/bin/bash
# packaging_test.sh's stand-in daemon: records its arguments, then waits for SIGTERM.
case " \$* " in *" --check-config "*) exec "$daemon" "\$@" ;; esac
echo "\$*" >> "$logs/started"
echo "stub daemon: \$*"
trap 'kill "\$sleeper" 2>/dev/null; exit 0' TERM
sleep 86400 &
sleeper=\$!
wait "\$sleeper"
EOF
  chmod 0755 "$app/dbus-enphase-envoy"
}
last_start() { grep -F -- "--config $1" "$logs/started" 2>/dev/null | tail -n 1; }   # last_start CONFIG
last_start_is() { [ "$(last_start "$1")" = "$2" ]; }   # last_start_is CONFIG ARGUMENTS
start_count() { grep -cF -- "--config $1" "$logs/started" 2>/dev/null || true; }
start_count_is() { [ "$(start_count "$1")" = "$2" ]; }
# Staged with the stub under svscan, config.ini and garage.ini usable, the default gateway
# installed and started once.
stub_with_default_up() {
  stage
  install_stub
  printf '[ENVOY]\naddress = 192.0.2.1\n' > "$app/config.ini"
  printf '[ENVOY]\naddress = 192.0.2.2\n' > "$garage"
  start_svscan
  "$app/install.sh" > "$logs/install-default" 2>&1 || fatal "install.sh failed: $(cat "$logs/install-default")"
  wait_until 30 last_start_is "$app/config.ini" "--config $app/config.ini" ||
    fatal "the default gateway did not start: $(cat "$logs/started" 2>&1)"
  wait_until 10 is_up_longer_than "$default_link" -1 || fatal "svstat: $(svstat "$default_link")"
}
# Installs garage.ini beside the running default gateway and waits until both run with the suffix.
install_garage() {
  local garage_starts default_starts
  garage_starts=$(start_count "$garage")
  default_starts=$(start_count "$app/config.ini")
  "$app/install.sh" --config "$garage" > "$1" 2>&1 || fatal "install.sh --config failed: $(cat "$1")"
  wait_until 30 start_count_is "$garage" $((garage_starts + 1)) || fatal "garage did not start: $(cat "$logs/started")"
  last_start_is "$garage" "--config $garage --service-suffix serial" || fatal "garage started without the suffix"
  wait_until 30 start_count_is "$app/config.ini" $((default_starts + 1)) ||
    fatal "the default gateway was not restarted: $(cat "$logs/started")"
  last_start_is "$app/config.ini" "--config $app/config.ini --service-suffix serial" ||
    fatal "the default gateway was restarted without the suffix"
  wait_until 10 is_up_longer_than "$garage_link" -1 || fatal "svstat: $(svstat "$garage_link")"
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
  expected_serial=$(capture_serial "$capture")
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
  # The daemon among run's children (before it, run has short-lived ones of its own).
  daemon_pid() { pgrep -P "$run_pid" -f -- "$app/dbus-enphase-envoy --config"; }
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
gateways_two)
  # Two gateways under svscan with the stand-in daemon: the run scripts' command lines.
  stub_with_default_up
  first_pid=$(up_pid "$default_link" -1)
  install_garage "$logs/out"
  check "install.sh --config succeeds" contains "$logs/out" "installed dbus-enphase-envoy-garage"
  check "it says the default gateway was restarted for its new names" contains "$logs/out" \
    "2 gateways installed: restarted dbus-enphase-envoy so each takes D-Bus names ending in _<serial>"
  check "the default gateway runs again, with a new pid" wait_until 20 is_up_with_new_pid "$default_link" "$first_pid"
  check "garage started once, already with the suffix" equals "$(start_count "$garage")" 1
  check "svstat reports garage up" wait_until 20 is_up_longer_than "$garage_link" -1
  check "garage's link is its own service folder" equals "$(readlink "$garage_link")" "$app/service-garage"
  check "the default's link is unchanged" equals "$(readlink "$default_link")" "$app/service"
  check "rc.local has the default's line once" equals "$(count_lines "$root/data/rc.local" "$(rc_line)")" 1
  check "rc.local has garage's line once" equals "$(count_lines "$root/data/rc.local" "$(rc_line_for "$garage")")" 1
  check "the boot lines are valid bash" bash -n "$root/data/rc.local"
  check "garage's run script is executable" test -x "$app/service-garage/run"
  check "garage's run script says what it is" equals "$(sed -n 2p "$app/service-garage/run")" \
    "# dbus-enphase-envoy: the daemontools run script of gateway garage, written by install.sh:"
  check "garage's log/run is executable" test -x "$app/service-garage/log/run"
  garage_log="$root/var/log/dbus-enphase-envoy-garage/current"
  default_log="$root/var/log/dbus-enphase-envoy/current"
  check "garage logs into its own folder" wait_until 20 contains "$garage_log" "stub daemon: --config $garage --service-suffix serial"
  check "the run script says why the names change" contains "$garage_log" "2 gateways installed: D-Bus names end in _<serial>"
  check "garage's log has none of the default's lines" not contains "$garage_log" "--config $app/config.ini"
  check "the default logs into its folder" wait_until 20 contains "$default_log" "stub daemon: --config $app/config.ini --service-suffix serial"
  check "the default's log has none of garage's lines" not contains "$default_log" "--config $garage"

  default_pid=$(up_pid "$default_link" -1)
  garage_pid=$(up_pid "$garage_link" -1)
  "$app/restart.sh" --config "$garage" > "$logs/out2" 2>&1
  check "restart.sh --config succeeds" equals "$?" 0
  check "it restarts garage" wait_until 20 is_up_with_new_pid "$garage_link" "$garage_pid"
  check "garage started again" wait_until 20 start_count_is "$garage" 2
  check "still with the suffix" last_start_is "$garage" "--config $garage --service-suffix serial"
  check "the default keeps its pid" equals "$(up_pid "$default_link" -1)" "$default_pid"

  # A third gateway changes no names: nobody else restarts.
  printf '[ENVOY]\naddress = 192.0.2.3\n' > "$app/barn.ini"
  "$app/install.sh" --config "$app/barn.ini" > "$logs/out3" 2>&1
  check "a third gateway installs" equals "$?" 0
  check "it starts with the suffix" wait_until 30 last_start_is "$app/barn.ini" "--config $app/barn.ini --service-suffix serial"
  check "it restarts nothing" not contains "$logs/out3" "restarted"
  check "the default keeps its pid" equals "$(up_pid "$default_link" -1)" "$default_pid"
  check "garage was started twice in all" equals "$(start_count "$garage")" 2
  cat "$logs/install-default" "$logs/out" "$logs/out2" "$logs/out3"
  finish
  ;;
gateways_uninstall)
  # Uninstalling one of two gateways leaves the other running, back under the plain names.
  stub_with_default_up
  install_garage "$logs/out"
  default_pid=$(up_pid "$default_link" -1)
  "$app/uninstall.sh" --config "$garage" > "$logs/out2" 2>&1
  check "uninstall.sh --config succeeds" equals "$?" 0
  check "it says the default gateway was restarted for the plain names" contains "$logs/out2" \
    "one gateway installed: restarted dbus-enphase-envoy so it takes the plain D-Bus names again"
  check "the default gateway runs again, with a new pid" wait_until 20 is_up_with_new_pid "$default_link" "$default_pid"
  check "it runs without the suffix" wait_until 20 last_start_is "$app/config.ini" "--config $app/config.ini"
  check "garage's service folder is gone (its supervise exited)" not test -e "$app/service-garage"
  check "garage's link is gone" not test -e "$garage_link"
  check "garage's boot line is gone" equals "$(count_lines "$root/data/rc.local" "$(rc_line_for "$garage")")" 0
  check "the default's link stays" equals "$(readlink "$default_link")" "$app/service"
  check "the default's boot line stays" equals "$(count_lines "$root/data/rc.local" "$(rc_line)")" 1
  check "garage.ini is kept" test -s "$garage"
  check "the default keeps running" wait_until 10 is_up_longer_than "$default_link" 1

  # The other way round: uninstall.sh without --config takes the default away, only it.
  install_garage "$logs/out3"
  garage_pid=$(up_pid "$garage_link" -1)
  "$app/uninstall.sh" > "$logs/out4" 2>&1
  check "uninstall.sh succeeds" equals "$?" 0
  check "it says garage was restarted for the plain names" contains "$logs/out4" \
    "one gateway installed: restarted dbus-enphase-envoy-garage so it takes the plain D-Bus names again"
  check "garage runs again, with a new pid" wait_until 20 is_up_with_new_pid "$garage_link" "$garage_pid"
  check "garage runs without the suffix" wait_until 20 last_start_is "$garage" "--config $garage"
  check "the default's supervise exited" wait_until 20 supervise_gone "$app/service"
  check "the default's link is gone" not test -e "$default_link"
  check "the default's boot line is gone" equals "$(count_lines "$root/data/rc.local" "$(rc_line)")" 0
  check "garage's link stays" equals "$(readlink "$garage_link")" "$app/service-garage"
  check "garage's boot line stays" equals "$(count_lines "$root/data/rc.local" "$(rc_line_for "$garage")")" 1
  check "the shipped service folder stays" test -x "$app/service/run"
  check "config.ini is kept" test -s "$app/config.ini"
  cat "$logs/out" "$logs/out2" "$logs/out3" "$logs/out4"
  finish
  ;;
gateways_idempotent)
  # install.sh --config: the same file always gives the same tree, and what is not a gateway's
  # file is refused without touching anything.
  stage
  printf '[ENVOY]\naddress = 192.0.2.1\n' > "$app/config.ini"
  printf '[ENVOY]\naddress = 192.0.2.2\n' > "$garage"
  "$app/install.sh" > "$logs/out" 2>&1 || fatal "install.sh failed: $(cat "$logs/out")"
  "$app/install.sh" --config "$garage" > "$logs/out2" 2>&1
  check "install.sh --config succeeds" equals "$?" 0
  check "garage's boot line" equals "$(tail -n 1 "$root/data/rc.local")" "$(rc_line_for "$garage")"
  check "garage's run script runs service/run with garage.ini" equals "$(tail -n 1 "$app/service-garage/run")" \
    "exec \"$app/service/run\" \"$garage\""
  check "garage's logger writes to its own folder" equals "$(tail -n 1 "$app/service-garage/log/run")" \
    "exec \"$app/service/log/run\" \"dbus-enphase-envoy-garage\""
  check "garage.ini is private (0600)" equals "$(mode_of "$garage")" 600
  before=$(tree_listing)
  "$app/install.sh" --config "$garage" > "$logs/out3" 2>&1
  check "the second install.sh --config succeeds" equals "$?" 0
  check "the second install.sh --config changes nothing" equals "$(tree_listing)" "$before"
  (cd "$app" && ./install.sh --config garage.ini) > "$logs/out4" 2>&1
  check "a relative path names the same gateway" equals "$(tree_listing)" "$before"
  "$app/install.sh" --config "$app/config.ini" > "$logs/out5" 2>&1
  check "--config with config.ini in the app folder is the default gateway" equals "$(tree_listing)" "$before"
  "$app/install.sh" > "$logs/out6" 2>&1
  check "install.sh without --config changes nothing" equals "$(tree_listing)" "$before"
  check "two service links" equals "$(ls "$root/service" | wc -l)" 2

  refused() {  # refused MESSAGE ARGUMENTS...: install.sh fails saying MESSAGE and changes nothing
    local message=$1
    shift
    "$app/install.sh" "$@" > "$logs/refused" 2>&1 && return 1
    cat "$logs/refused"
    contains "$logs/refused" "$message" && [ "$(tree_listing)" = "$before" ]
  }
  mkdir -p "$work/elsewhere" "$root/data/other"
  printf '[ENVOY]\naddress = 192.0.2.4\n' | tee "$work/elsewhere/shed.ini" "$root/data/other/garage.ini" \
    "$root/data/other/config.ini" "$app/my.shed.ini" > /dev/null
  before=$(tree_listing)
  check "a file outside /data is refused" refused "$work/elsewhere/shed.ini is not under $root/data" --config "$work/elsewhere/shed.ini"
  check "a second file named garage.ini is refused" refused \
    "gateway garage is installed with $garage; two files of one name cannot both be installed" --config "$root/data/other/garage.ini"
  check "a config.ini outside the app folder is refused" refused \
    "config.ini is the default gateway's file, in $app" --config "$root/data/other/config.ini"
  check "a name with a dot is refused" refused "(\"my.shed\", the file's name without .ini) is 1 to 32" --config "$app/my.shed.ini"
  check "a file not named .ini is refused" refused "is named NAME.ini" --config "$app/garage.conf"
  check "a name whose state folder would be one of the app's is refused" refused \
    "gateway service-x would keep its state in $app/service-x, a folder of the app's own" --config "$app/service-x.ini"
  "$app/install.sh" --config > "$logs/usage" 2>&1
  check "--config without a file is a usage error (2)" equals "$?" 2
  check "it shows the usage" contains "$logs/usage" "usage: $app/install.sh [--config /data/.../NAME.ini]"

  # A first install of a file that does not exist yet starts it from the sample, as config.ini.
  "$app/install.sh" --config "$app/shed.ini" > "$logs/out7" 2>&1
  check "install.sh --config of a new file refuses" not equals "$?" 0
  check "it created the file from the sample" same_file "$app/config.sample.ini" "$app/shed.ini"
  check "the file is private (0600)" equals "$(mode_of "$app/shed.ini")" 600
  check "the message says so" contains "$logs/out7" "created $app/shed.ini from config.sample.ini: edit it"
  check "and names the command to run next" contains "$logs/out7" "then run $app/install.sh --config $app/shed.ini again"
  check "no link for it" not test -e "$root/service/dbus-enphase-envoy-shed"
  check "no boot line for it" not contains "$root/data/rc.local" "shed.ini"

  # An rc.local of nothing but the boot lines: each uninstall takes its own line, down to none.
  printf '%s\n%s\n' "$(rc_line)" "$(rc_line_for "$garage")" > "$root/data/rc.local"
  "$app/uninstall.sh" --config "$garage" > "$logs/out8" 2>&1
  check "uninstall.sh --config succeeds" equals "$?" 0
  check "the default's line is left" equals "$(cat "$root/data/rc.local")" "$(rc_line)"
  "$app/uninstall.sh" > "$logs/out9" 2>&1
  check "uninstall.sh succeeds" equals "$?" 0
  check "rc.local is left empty" not test -s "$root/data/rc.local"
  cat "$logs/out" "$logs/out2" "$logs/out3" "$logs/out4" "$logs/out5" "$logs/out6" "$logs/out7" "$logs/out8" "$logs/out9"
  finish
  ;;
gateways_bad_config)
  # A second gateway with a bad file is refused on its first install; the first one goes on.
  stub_with_default_up
  default_pid=$(up_pid "$default_link" -1)
  printf '[ENVOY]\naddress = IP_ADDR_OR_FQDN\n' > "$garage"
  cp "$root/data/rc.local" "$logs/rc.local.before"
  "$app/install.sh" --config "$garage" > "$logs/out" 2>&1
  check "install.sh --config refuses a bad file" not equals "$?" 0
  check "it says why in one line" equals "$(wc -l < "$logs/out")" 1
  check "the line is the daemon's, naming the file and the key" contains "$logs/out" \
    "$garage: [ENVOY] address = IP_ADDR_OR_FQDN: expected the IP address or host name of the gateway instead of the placeholder; fix it, then run $app/install.sh --config $garage again"
  check "no link for garage" not test -e "$garage_link"
  check "no service folder for garage" not test -e "$app/service-garage"
  check "rc.local is unchanged" same_file "$logs/rc.local.before" "$root/data/rc.local"
  check "the default gateway keeps its pid" equals "$(up_pid "$default_link" -1)" "$default_pid"
  check "and was started only once" equals "$(start_count "$app/config.ini")" 1
  cat "$logs/out"
  finish
  ;;
gateways_end_to_end)
  # Two gateways for real: the daemon against two simulators on a private bus.
  "$daemon" --help 2>&1 | grep -q -- --service-suffix || fatal "$daemon has no --service-suffix"
  stage
  start_bus
  second_capture=7.6.175_standard
  start_simulator "$capture"
  write_config_for "$app/config.ini" "$capture" "$sim_port" "$root/run/default"
  start_simulator "$second_capture" "$logs/sim2.log"
  write_config_for "$garage" "$second_capture" "$sim_port" "$root/run/garage"
  serial=$(capture_serial "$capture")
  garage_serial=$(capture_serial "$second_capture")
  start_svscan
  "$app/install.sh" > "$logs/out" 2>&1 || fatal "install.sh failed: $(cat "$logs/out")"
  "$app/install.sh" --config "$garage" > "$logs/out2" 2>&1 || fatal "install.sh --config failed: $(cat "$logs/out2")"
  check "svstat reports the default gateway up for more than 5 s" wait_until 40 is_up_longer_than "$default_link" 5
  check "svstat reports garage up for more than 5 s" wait_until 40 is_up_longer_than "$garage_link" 5
  check "the default gateway is on D-Bus as ${bus_name}_$serial" wait_until 30 serial_is "$serial" "${bus_name}_$serial"
  check "garage is on D-Bus as ${bus_name}_$garage_serial" wait_until 30 serial_is "$garage_serial" "${bus_name}_$garage_serial"
  check "nobody has the plain name" not name_owned "$bus_name"
  check "the default gateway logs into its folder" wait_until 20 contains "$root/var/log/dbus-enphase-envoy/current" "dbus-enphase-envoy"
  check "garage logs into its own folder" wait_until 20 contains "$root/var/log/dbus-enphase-envoy-garage/current" "dbus-enphase-envoy"
  check "the default gateway's state is beside config.ini" wait_until 20 test -f "$app/gateway-$serial.pin"
  check "garage's state is in its own folder" wait_until 20 test -f "$app/garage/gateway-$garage_serial.pin"
  check "garage's state is not in the default's folder" not test -e "$app/gateway-$garage_serial.pin"

  "$app/uninstall.sh" --config "$garage" > "$logs/out3" 2>&1
  check "uninstall.sh --config succeeds" equals "$?" 0
  check "garage left the bus" wait_until 20 not name_owned "${bus_name}_$garage_serial"
  check "the default gateway takes the plain name again" wait_until 40 serial_is "$serial" "$bus_name"
  check "and leaves its suffixed one" wait_until 20 not name_owned "${bus_name}_$serial"
  if [ "$failures" -gt 0 ]; then
    echo "--- install/uninstall output"; cat "$logs/out" "$logs/out2" "$logs/out3"
    echo "--- svscan"; cat "$logs/svscan.log"
    for log in "$root"/var/log/*/current; do echo "--- $log"; tai64nlocal < "$log" | tail -n 30; done
  fi
  finish
  ;;
*)
  echo "unknown case $case_name" >&2
  exit 2
  ;;
esac
