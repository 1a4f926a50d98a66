# Shared helpers for the setup scripts. Every step checks before it acts, so running the
# scripts again changes nothing that is already in place.
set -euo pipefail

say() { printf '==> %s\n' "$*"; }

# Run as root: directly when we are root, else through sudo.
as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# Run as the postgres superuser over the local socket.
as_postgres() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else sudo -u postgres "$@"; fi
}
