# shellcheck shell=bash
# packaging/venus: what install.sh, uninstall.sh, restart.sh and service/run share: the names
# and paths they touch, which gateway a --config names, and the registry of installed gateways.
# Sourced, not run. Every path outside this folder is below $EE_ROOT (empty on a GX device), so
# tests can install into a temporary folder. Works with bash and BusyBox tools (Venus OS).
#
# Gateways: config.ini in this folder is the default gateway (named ""), run by the service
# dbus-enphase-envoy from service/. Any other NAME.ini under /data is gateway NAME
# ([A-Za-z0-9_-]{1,32}), run by the service dbus-enphase-envoy-NAME from service-NAME/ (written
# by install.sh), logging to /var/log/dbus-enphase-envoy-NAME.
#
# Registry: a gateway is installed when its boot line is in /data/rc.local, nothing else. The
# file is on /data, so it survives reboots and firmware updates, and it holds every line before
# svscan starts any service at boot: the count of gateways, which decides the D-Bus names (see
# needs_suffix), is the same for every service whatever the order they start in.

NAME=dbus-enphase-envoy
APP_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
ROOT=${EE_ROOT:-}
DATA_DIR="$ROOT/data"
SERVICES_DIR="$ROOT/service"
RC_LOCAL="$DATA_DIR/rc.local"
DEFAULT_CONFIG="$APP_DIR/config.ini"
# The default gateway's boot line, and the unquoted one of earlier versions (install.sh replaces
# it, uninstall.sh removes it). Another gateway's line adds --config "FILE" to the first.
DEFAULT_RC_LINE="bash \"$APP_DIR/install.sh\""
DEFAULT_RC_LINE_UNQUOTED="bash $APP_DIR/install.sh"
RC_LINE_CONFIG_PREFIX="$DEFAULT_RC_LINE --config \""

say() { echo "$NAME: $*"; }
fail() { echo "$NAME: $*" >&2; exit 1; }

# svc from daemontools; errors ("supervise not running") are not ours to report.
svc_quiet() { svc "$@" >/dev/null 2>&1 || true; }

# gateway_of CONFIG: the gateway's name: "" for config.ini, NAME for NAME.ini.
gateway_of() {
  local file=${1##*/}
  file=${file%.ini}
  [ "$file" = config ] || echo "$file"
}

# service_of GATEWAY: its daemontools service name, also the name of its link and log folder.
service_of() { echo "$NAME${1:+-$1}"; }

# installed_configs: the config file of every installed gateway, one a line, each once.
installed_configs() {
  [ -f "$RC_LOCAL" ] || return 0
  awk -v default="$DEFAULT_RC_LINE" -v unquoted="$DEFAULT_RC_LINE_UNQUOTED" \
      -v prefix="$RC_LINE_CONFIG_PREFIX" -v config="$DEFAULT_CONFIG" '
    { sub(/\r$/, "") }
    $0 == default || $0 == unquoted { print config; next }
    index($0, prefix) == 1 && length($0) > length(prefix) + 1 && substr($0, length($0)) == "\"" {
      print substr($0, length(prefix) + 1, length($0) - length(prefix) - 1)
    }' "$RC_LOCAL" | sort -u
}
installed_count() { installed_configs | wc -l | tr -d ' '; }

# needs_suffix COUNT: with two or more gateways installed, every daemon runs with
# --service-suffix serial, so its D-Bus names end in _<serial> (one per gateway); alone, it
# keeps the plain names.
needs_suffix() { [ "$1" -ge 2 ]; }

# restart_on_crossing COUNT_BEFORE COUNT_AFTER: when a change of installed gateways changes
# needs_suffix, restarts every installed gateway's running service (svc -t) so it registers
# under its new names.
restart_on_crossing() {
  local before=0 after=0 config link names=""
  needs_suffix "$1" && before=1
  needs_suffix "$2" && after=1
  [ "$before" != "$after" ] || return 0
  while IFS= read -r config; do
    link="$SERVICES_DIR/$(service_of "$(gateway_of "$config")")"
    svok "$link" 2>/dev/null || continue
    svc_quiet -t "$link"
    names="$names ${link##*/}"
  done < <(installed_configs)
  [ -n "$names" ] || return 0
  if [ "$after" -eq 1 ]; then
    say "$2 gateways installed: restarted$names so each takes D-Bus names ending in _<serial>"
  else
    say "one gateway installed: restarted$names so it takes the plain D-Bus names again"
  fi
}

# select_gateway [--config FILE]: the gateway a script acts on, without --config the default.
# Sets CONFIG (absolute path), GATEWAY, SERVICE, SERVICE_DIR, SERVICE_LINK, LOG_DIR, STATE_DIR
# (where the daemon keeps the gateway's token cache and counters unless the file says otherwise),
# RC_LINE and RC_LINE_UNQUOTED (empty but for the default), and refuses a file that cannot be a
# gateway's.
select_gateway() {
  local usage="usage: $0 [--config /data/.../NAME.ini]" config=$DEFAULT_CONFIG dir data other line
  case $# in
    0) ;;
    2) [ "$1" = --config ] || { echo "$usage" >&2; exit 2; }; config=$2 ;;
    *) echo "$usage" >&2; exit 2 ;;
  esac
  case $config in /*) ;; *) config="$PWD/$config" ;; esac
  # The same file always gets the same boot line, however it was named.
  dir=$(cd "${config%/*}/" 2>/dev/null && pwd -P) && config="$dir/${config##*/}"
  case $config in
    *.ini) ;;
    *) fail "$config: a gateway's configuration file is named NAME.ini" ;;
  esac
  case $config in
    *[\"\\\$\`]* | *$'\n'*) fail "$config: the path may not hold \", \\, \$, \` or a line break" ;;
  esac
  data=$(cd "$DATA_DIR" 2>/dev/null && pwd -P) || data=$DATA_DIR
  case $config in
    "$data"/*) ;;
    *) fail "$config is not under $DATA_DIR, the one partition that survives firmware updates" ;;
  esac
  GATEWAY=$(gateway_of "$config")
  if [ "${config##*/}" = config.ini ]; then
    [ "$config" = "$DEFAULT_CONFIG" ] ||
      fail "$config: config.ini is the default gateway's file, in $APP_DIR; name this one NAME.ini"
  elif ! [[ $GATEWAY =~ ^[A-Za-z0-9_-]{1,32}$ ]]; then
    fail "$config: a gateway's name (\"$GATEWAY\", the file's name without .ini) is 1 to 32 letters, digits, _ or -"
  fi
  # Beside its file the daemon keeps the gateway's state in a folder of the gateway's name: in
  # this folder, that must not be one of the app's own.
  if [ "${config%/*}" = "$APP_DIR" ]; then
    case $GATEWAY in
      lib | service | service-*) fail "$config: gateway $GATEWAY would keep its state in $APP_DIR/$GATEWAY, a folder of the app's own; choose another name" ;;
    esac
  fi
  other=$(installed_configs | while IFS= read -r line; do
    [ "$line" != "$config" ] && [ "$(gateway_of "$line")" = "$GATEWAY" ] && echo "$line"
  done)
  [ -z "$other" ] ||
    fail "gateway $GATEWAY is installed with $other; two files of one name cannot both be installed"
  CONFIG=$config
  SERVICE=$(service_of "$GATEWAY")
  SERVICE_LINK="$SERVICES_DIR/$SERVICE"
  LOG_DIR="$ROOT/var/log/$SERVICE"
  if [ -z "$GATEWAY" ]; then
    SERVICE_DIR="$APP_DIR/service"
    STATE_DIR=$APP_DIR
    RC_LINE=$DEFAULT_RC_LINE
    RC_LINE_UNQUOTED=$DEFAULT_RC_LINE_UNQUOTED
  else
    SERVICE_DIR="$APP_DIR/service-$GATEWAY"
    STATE_DIR=${CONFIG%.ini}
    RC_LINE="$RC_LINE_CONFIG_PREFIX$CONFIG\""
    RC_LINE_UNQUOTED=
  fi
}

# is_installed: the selected gateway's boot line is in /data/rc.local.
is_installed() { installed_configs | grep -qxF -- "$CONFIG"; }

# rewrite_rc_local COMMAND...: replaces /data/rc.local by what COMMAND prints (reading it), in
# place, so the file keeps its mode and owner.
rewrite_rc_local() {
  local updated status
  updated=$(mktemp "$DATA_DIR/.rc.local.XXXXXX") || fail "cannot write next to $RC_LOCAL"
  "$@" < "$RC_LOCAL" > "$updated" && cat "$updated" > "$RC_LOCAL"
  status=$?
  rm -f "$updated"
  [ "$status" -eq 0 ] || fail "cannot rewrite $RC_LOCAL"
}
