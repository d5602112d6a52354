#!/bin/bash
# packaging/venus: uninstall.sh stops a gateway's dbus-enphase-envoy service and unregisters it:
#   uninstall.sh                      the default gateway (config.ini)
#   uninstall.sh --config FILE.ini    another gateway, as installed with install.sh --config
# Stops the service and its logger, removes its /service link and its /data/rc.local line, and
# another gateway's service folder (service-NAME/, written by install.sh). Other gateways keep
# running (restarted when one is left, to take the plain D-Bus names again). Keeps the
# configuration file and the gateway's state (token cache, energy counters).
set -u
. "$(dirname "$0")/common.sh"
select_gateway "$@"

if [ -L "$SERVICE_LINK" ] || [ -e "$SERVICE_LINK" ]; then
  svc_quiet -d "$SERVICE_LINK"
  rm -f "$SERVICE_LINK" || fail "cannot remove $SERVICE_LINK"
  say "removed $SERVICE_LINK"
fi
# Stop the service and its logger, then let their supervise processes exit.
svc_quiet -dx "$SERVICE_DIR"
svc_quiet -dx "$SERVICE_DIR/log"

if [ -f "$RC_LOCAL" ] && is_installed; then
  count_before=$(installed_count)
  rewrite_rc_local awk -v line="$RC_LINE" -v old="$RC_LINE_UNQUOTED" '
    { text = $0; sub(/\r$/, "", text) }
    text != line && (old == "" || text != old)'
  say "removed the boot line from $RC_LOCAL"
  restart_on_crossing "$count_before" "$(installed_count)"
fi

# Another gateway's service folder goes too, once supervise has let go of it (install.sh writes
# it again).
supervised() { { svok "$SERVICE_DIR" || svok "$SERVICE_DIR/log"; } 2>/dev/null; }
if [ -n "$GATEWAY" ] && [ -d "$SERVICE_DIR" ]; then
  deadline=$((SECONDS + 10))
  while supervised && [ "$SECONDS" -lt "$deadline" ]; do
    sleep 0.1 2>/dev/null || sleep 1
  done
  if supervised; then
    say "WARNING: $SERVICE_DIR is still supervised after 10 s; remove it later"
  else
    rm -rf "$SERVICE_DIR" || fail "cannot remove $SERVICE_DIR"
  fi
fi

say "uninstalled $SERVICE; $CONFIG and the gateway's state (token cache, energy counters: $STATE_DIR unless state_dir says otherwise) stay"
