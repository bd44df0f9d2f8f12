# Debian packages the scripts need besides PostgreSQL (scripts/lib/postgres.sh): npm for the portal's build, and for
# the tests Debian's Chromium (never a downloaded browser) with CJK fonts, so screenshots show Chinese. Installed
# when missing if we are root; otherwise named, so someone who is can install them.
ensure_packages() {
  local need=()
  command -v npm >/dev/null 2>&1 || need+=(nodejs npm)
  if [ "${1:-}" = --browser ]; then
    [ -x /usr/bin/chromium ] || need+=(chromium)
    fc-list :lang=zh 2>/dev/null | grep -q . || need+=(fonts-noto-cjk)
  fi
  [ ${#need[@]} -eq 0 ] && return 0
  if [ "$(id -u)" != 0 ]; then
    echo "missing Debian packages: ${need[*]} (install them as root)" >&2
    return 1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
}
