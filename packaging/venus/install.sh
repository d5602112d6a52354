#!/bin/bash
# packaging/venus: install.sh registers dbus-enphase-envoy as a Venus OS service: has the
# daemon check config.ini (--check-config), links service/ into /service (svscan starts it
# within seconds) and adds one line to /data/rc.local so it is registered again at every boot.
# Running it again changes nothing. On the first run it creates config.ini from
# config.sample.ini and stops so the user can edit it.
set -u
. "$(dirname "$0")/common.sh"

config="$APP_DIR/config.ini"
sample="$APP_DIR/config.sample.ini"

[ -x "$APP_DIR/$NAME" ] || chmod 0755 "$APP_DIR/$NAME" 2>/dev/null || fail "$APP_DIR/$NAME is missing: unpack the whole archive again"
for script in service/run service/log/run install.sh uninstall.sh restart.sh; do
  [ -x "$APP_DIR/$script" ] || chmod 0755 "$APP_DIR/$script" || fail "cannot make $APP_DIR/$script executable"
done

if [ ! -f "$config" ]; then
  [ -f "$sample" ] || fail "neither $config nor $sample exists: unpack the whole archive again"
  cp "$sample" "$config" && chmod 0600 "$config" || fail "cannot create $config"
  fail "created $config from config.sample.ini: edit it (at least the gateway's address in [ENVOY]), then run $APP_DIR/install.sh again"
fi
# It may hold the token and passwords, whoever created it and with whatever mode.
chmod 0600 "$config" || fail "cannot make $config private (mode 0600)"

# The daemon checks config.ini as it does at start-up (the sample's placeholder addresses, every
# value and range): 0 usable, 2 not, with one line saying which key and what is expected. A
# first install stops there. Once installed (the boot line is in rc.local: this is a boot, or a
# run after an edit or an update), the service stays registered whatever the file says: it logs
# the same line and tries again every 30 s, so fixing the file is enough.
installed_before=0
[ -f "$RC_LOCAL" ] && grep -qxF "$RC_LINE" "$RC_LOCAL" && installed_before=1
check=$("$APP_DIR/$NAME" --check-config --config "$config" 2>&1)
check_code=$?
if [ "$check_code" -ne 0 ]; then
  error=$(printf '%s\n' "$check" | sed -n 's/^ERROR: //p' | tail -n 1)
  [ "$check_code" -eq 2 ] || error="$APP_DIR/$NAME --check-config failed (exit code $check_code): $check"
  [ "$installed_before" -eq 1 ] || fail "${error:-$check}; fix it, then run $APP_DIR/install.sh again"
  say "WARNING: ${error:-$check}; the service stays registered and logs this until the file is fixed"
elif [ -n "$check" ]; then
  echo "$check"
fi

[ -d "$SERVICES_DIR" ] || fail "$SERVICES_DIR does not exist: is this Venus OS?"
if [ -L "$SERVICE_LINK" ] && [ "$(readlink "$SERVICE_LINK")" = "$APP_DIR/service" ]; then
  :
elif [ -e "$SERVICE_LINK" ] && [ ! -L "$SERVICE_LINK" ]; then
  fail "$SERVICE_LINK exists and is not a link to $APP_DIR/service: remove it first (svc -dx $SERVICE_LINK; rm -r $SERVICE_LINK)"
else
  ln -sfn "$APP_DIR/service" "$SERVICE_LINK" || fail "cannot link $SERVICE_LINK"
  say "linked $SERVICE_LINK -> $APP_DIR/service"
fi

if [ ! -e "$RC_LOCAL" ]; then
  printf '#!/bin/bash\n' > "$RC_LOCAL" && chmod 0755 "$RC_LOCAL" || fail "cannot create $RC_LOCAL"
fi
if ! grep -qxF "$RC_LINE" "$RC_LOCAL"; then
  # The line goes before a closing "exit" (after it, it would never run), replacing the
  # unquoted line of an earlier version; the file is rewritten in place, keeping its mode.
  updated=$(mktemp "$DATA_DIR/.rc.local.XXXXXX") || fail "cannot write next to $RC_LOCAL"
  awk -v line="$RC_LINE" -v old="$RC_LINE_UNQUOTED" '
    { sub(/\r$/, "") }
    $0 == old { next }
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
    }' "$RC_LOCAL" > "$updated" && cat "$updated" > "$RC_LOCAL"
  status=$?
  rm -f "$updated"
  [ "$status" -eq 0 ] || fail "cannot add the boot line to $RC_LOCAL"
  say "added to $RC_LOCAL: $RC_LINE"
fi
[ -x "$RC_LOCAL" ] || chmod 0755 "$RC_LOCAL"

say "installed; the service starts within seconds. Status: svstat $SERVICE_LINK  Log: tail -F $ROOT/var/log/$NAME/current | tai64nlocal"
