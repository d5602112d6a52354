# shellcheck shell=bash
# packaging/venus: what install.sh, uninstall.sh and restart.sh share: the names and the
# paths they touch. Sourced, not run. Every path outside this folder is below $EE_ROOT
# (empty on a GX device), so tests can install into a temporary folder.
# Works with bash and BusyBox tools (Venus OS).

NAME=dbus-enphase-envoy
APP_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
ROOT=${EE_ROOT:-}
DATA_DIR="$ROOT/data"
SERVICES_DIR="$ROOT/service"
SERVICE_LINK="$SERVICES_DIR/$NAME"
RC_LOCAL="$DATA_DIR/rc.local"
# The line in /data/rc.local that registers the service again after a reboot or a firmware
# update (which empty /service).
RC_LINE="bash \"$APP_DIR/install.sh\""
# The unquoted line of earlier versions, replaced by install.sh and removed by uninstall.sh.
RC_LINE_UNQUOTED="bash $APP_DIR/install.sh"

say() { echo "$NAME: $*"; }
fail() { echo "$NAME: $*" >&2; exit 1; }

# svc from daemontools; errors ("supervise not running") are not ours to report.
svc_quiet() { svc "$@" >/dev/null 2>&1 || true; }
