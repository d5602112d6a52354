#!/bin/bash
# packaging/venus: restart.sh restarts the running dbus-enphase-envoy service (svc -t), for
# example after editing config.ini.
set -u
. "$(dirname "$0")/common.sh"

[ -L "$SERVICE_LINK" ] || fail "not installed ($SERVICE_LINK does not exist): run $APP_DIR/install.sh"
svc -t "$SERVICE_LINK" || fail "svc -t $SERVICE_LINK failed: is svscan running?"
say "restarting; status: svstat $SERVICE_LINK"
