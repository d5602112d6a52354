#!/bin/bash
# packaging/venus: install.sh registers a gateway's dbus-enphase-envoy service on Venus OS:
#   install.sh                        the default gateway, config.ini in this folder
#   install.sh --config FILE.ini      another gateway (FILE anywhere under /data), one per file
# It has the daemon check the file (--check-config), links the service into /service (svscan
# starts it within seconds) and adds the gateway's line to /data/rc.local, so it is registered
# again at every boot. Running it again changes nothing. On the first run it creates the file
# from config.sample.ini and stops so the user can edit it. Another gateway gets its own service
# folder (service-NAME/, written here) and log folder; see common.sh for names and the registry.
set -u
. "$(dirname "$0")/common.sh"
select_gateway "$@"

sample="$APP_DIR/config.sample.ini"
again="$APP_DIR/install.sh${GATEWAY:+ --config $CONFIG}"

[ -x "$APP_DIR/$NAME" ] || chmod 0755 "$APP_DIR/$NAME" 2>/dev/null || fail "$APP_DIR/$NAME is missing: unpack the whole archive again"
for script in service/run service/log/run install.sh uninstall.sh restart.sh; do
  [ -x "$APP_DIR/$script" ] || chmod 0755 "$APP_DIR/$script" || fail "cannot make $APP_DIR/$script executable"
done

if [ ! -f "$CONFIG" ]; then
  [ -f "$sample" ] || fail "neither $CONFIG nor $sample exists: unpack the whole archive again"
  cp "$sample" "$CONFIG" && chmod 0600 "$CONFIG" || fail "cannot create $CONFIG"
  fail "created $CONFIG from config.sample.ini: edit it (at least the gateway's address in [ENVOY]), then run $again again"
fi
# It may hold the token and passwords, whoever created it and with whatever mode.
chmod 0600 "$CONFIG" || fail "cannot make $CONFIG private (mode 0600)"

# The daemon checks the file as it does at start-up (the sample's placeholder addresses, every
# value and range): 0 usable, 2 not, with one line saying which key and what is expected. A
# first install stops there. Once installed (the boot line is in rc.local: this is a boot, or a
# run after an edit or an update), the service stays registered whatever the file says: it logs
# the same line and tries again every 30 s, so fixing the file is enough.
installed_before=0
is_installed && installed_before=1
check=$("$APP_DIR/$NAME" --check-config --config "$CONFIG" 2>&1)
check_code=$?
if [ "$check_code" -ne 0 ]; then
  error=$(printf '%s\n' "$check" | sed -n 's/^ERROR: //p' | tail -n 1)
  [ "$check_code" -eq 2 ] || error="$APP_DIR/$NAME --check-config failed (exit code $check_code): $check"
  [ "$installed_before" -eq 1 ] || fail "${error:-$check}; fix it, then run $again again"
  say "WARNING: ${error:-$check}; the service stays registered and logs this until the file is fixed"
elif [ -n "$check" ]; then
  echo "$check"
fi

[ -d "$SERVICES_DIR" ] || fail "$SERVICES_DIR does not exist: is this Venus OS?"
if [ -e "$SERVICE_LINK" ] && [ ! -L "$SERVICE_LINK" ]; then
  fail "$SERVICE_LINK exists and is not a link to $SERVICE_DIR: remove it first (svc -dx $SERVICE_LINK; rm -r $SERVICE_LINK)"
fi

# write_script PATH TEXT: an executable file holding TEXT, written (atomically) only when it
# does not already.
write_script() {
  local temporary
  [ -x "$1" ] && [ "$(cat "$1")" = "$2" ] && return 0
  temporary=$(mktemp "$1.XXXXXX") || fail "cannot write $1"
  if ! { printf '%s\n' "$2" > "$temporary" && chmod 0755 "$temporary" && mv -f "$temporary" "$1"; }; then
    rm -f "$temporary"
    fail "cannot write $1"
  fi
}
# Another gateway's service folder: its run and log/run hand this gateway's file and log folder
# to the shipped service/run and service/log/run, so an update of those reaches every gateway.
if [ -n "$GATEWAY" ]; then
  mkdir -p "$SERVICE_DIR/log" || fail "cannot create $SERVICE_DIR"
  write_script "$SERVICE_DIR/run" "#!/bin/bash
# $NAME: the daemontools run script of gateway $GATEWAY, written by install.sh:
# service/run with $CONFIG.
exec \"$APP_DIR/service/run\" \"$CONFIG\""
  write_script "$SERVICE_DIR/log/run" "#!/bin/sh
# $NAME: the daemontools logger of gateway $GATEWAY, written by install.sh:
# service/log/run into $LOG_DIR.
exec \"$APP_DIR/service/log/run\" \"$SERVICE\""
fi

# The boot line comes before the link: the service, once started, counts the installed gateways
# (its D-Bus names depend on it), and this one must be among them.
if [ ! -e "$RC_LOCAL" ]; then
  printf '#!/bin/bash\n' > "$RC_LOCAL" && chmod 0755 "$RC_LOCAL" || fail "cannot create $RC_LOCAL"
fi
if ! grep -qxF "$RC_LINE" "$RC_LOCAL"; then
  count_before=$(installed_count)
  # The line goes before a closing "exit" (after it, it would never run), replacing the
  # unquoted line of an earlier version.
  rewrite_rc_local awk -v line="$RC_LINE" -v old="$RC_LINE_UNQUOTED" '
    { sub(/\r$/, "") }
    old != "" && $0 == old { next }
    { text[++n] = $0 }
    END {
      last = n
      while (last > 0 && text[last] ~ /^[ \t]*$/) last--
      at = (last > 0 && text[last] ~ /^[ \t]*exit([ \t]+[0-9]+)?[ \t]*(#.*)?$/) ? last : n + 1
      for (i = 1; i <= n; i++) {
        if (i == at) print line
        print text[i]
      }
      if (at == n + 1) print line
    }'
  say "added to $RC_LOCAL: $RC_LINE"
  restart_on_crossing "$count_before" "$(installed_count)"
fi
[ -x "$RC_LOCAL" ] || chmod 0755 "$RC_LOCAL"

if [ "$(readlink "$SERVICE_LINK")" != "$SERVICE_DIR" ]; then
  ln -sfn "$SERVICE_DIR" "$SERVICE_LINK" || fail "cannot link $SERVICE_LINK"
  say "linked $SERVICE_LINK -> $SERVICE_DIR"
fi

say "installed $SERVICE; it starts within seconds. Status: svstat $SERVICE_LINK  Log: tail -F $LOG_DIR/current | tai64nlocal"
