#!/bin/bash
# packaging/venus: restart.sh restarts a gateway's running dbus-enphase-envoy service (svc -t),
# for example after editing its configuration file:
#   restart.sh                        the default gateway (config.ini)
#   restart.sh --config FILE.ini      another gateway, as installed with install.sh --config
set -u
. "$(dirname "$0")/common.sh"
select_gateway "$@"

[ -L "$SERVICE_LINK" ] || fail "not installed ($SERVICE_LINK does not exist): run $APP_DIR/install.sh${GATEWAY:+ --config $CONFIG}"
svc -t "$SERVICE_LINK" || fail "svc -t $SERVICE_LINK failed: is svscan running?"
say "restarting $SERVICE; status: svstat $SERVICE_LINK"
