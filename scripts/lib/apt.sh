# scripts/lib/apt.sh: installing Debian packages that are missing, for the scripts that set up a
# machine (install-deps.sh, install-cross-deps.sh, fuzz.sh). Source it; needs root or sudo.

apt_sudo=()
[ "$(id -u)" -eq 0 ] || apt_sudo=(sudo)
apt_updated=0

# apt_installed PACKAGE: true when dpkg has it installed.
apt_installed() {
  dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"
}

# apt_update: refreshes the package lists once per run (apt_updated=0 asks for it again). A
# mirror in the middle of a sync may fail one index; the install that follows still fails
# loudly if a package is really missing.
apt_update() {
  [ "$apt_updated" -eq 0 ] || return 0
  apt_updated=1
  "${apt_sudo[@]}" apt-get update -q || echo "$(basename "$0"): apt-get update reported errors, going on with the lists it has" >&2
}

# apt_install_missing PACKAGE...: installs those not installed yet; does nothing when none is.
apt_install_missing() {
  local missing=() package
  for package in "$@"; do
    apt_installed "$package" || missing+=("$package")
  done
  [ ${#missing[@]} -gt 0 ] || return 0
  echo "installing: ${missing[*]}"
  apt_update
  DEBIAN_FRONTEND=noninteractive "${apt_sudo[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
}
