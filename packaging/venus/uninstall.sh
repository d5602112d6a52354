#!/bin/bash
# packaging/venus: uninstall.sh stops dbus-enphase-envoy and unregisters it: stops the
# service and its logger, removes the /service link and the /data/rc.local line. Keeps
# config.ini, the token cache and the energy counters in this folder.
set -u
. "$(dirname "$0")/common.sh"

if [ -L "$SERVICE_LINK" ] || [ -e "$SERVICE_LINK" ]; then
  svc_quiet -d "$SERVICE_LINK"
  rm -f "$SERVICE_LINK" || fail "cannot remove $SERVICE_LINK"
  say "removed $SERVICE_LINK"
fi
# Stop the service and its logger, then let their supervise processes exit.
svc_quiet -dx "$APP_DIR/service"
svc_quiet -dx "$APP_DIR/service/log"

if [ -f "$RC_LOCAL" ] && grep -qxF -e "$RC_LINE" -e "$RC_LINE_UNQUOTED" "$RC_LOCAL"; then
  kept=$(mktemp "$DATA_DIR/.rc.local.XXXXXX") || fail "cannot write next to $RC_LOCAL"
  grep -vxF -e "$RC_LINE" -e "$RC_LINE_UNQUOTED" "$RC_LOCAL" > "$kept"
  # Rewrite in place: the file keeps its mode and owner.
  cat "$kept" > "$RC_LOCAL" && rm -f "$kept" || fail "cannot rewrite $RC_LOCAL"
  say "removed the boot line from $RC_LOCAL"
fi

say "uninstalled; config.ini, the token cache and the energy counters stay in $APP_DIR (delete the folder to remove them)"
