#!/usr/bin/env bash
# Install the Debian/Ubuntu packages the portal needs, only those that are missing.
# Usage: ensure-system-packages.sh run|test
source "$(dirname "$0")/lib.sh"

purpose=${1:-run}
# GDAL brings GEOS and PROJ; SpatiaLite is the embedded database of `make run`.
packages=(gdal-bin libsqlite3-mod-spatialite)
if [ "$purpose" = test ]; then
  # PostGIS and Redis for the suite, Chromium for the browser tests (Playwright drives it;
  # it never downloads a browser of its own), CJK fonts so screenshots show the region's scripts.
  packages+=(redis-server chromium fonts-noto-cjk)
fi

installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }

missing=()
for package in "${packages[@]}"; do
  installed "$package" || missing+=("$package")
done
if [ "$purpose" = test ] && ! ls /usr/share/postgresql/*/extension/postgis.control >/dev/null 2>&1; then
  missing+=(postgis-for-postgresql)
fi

# The virtualenv needs venv and ensurepip; Debian's python3 has them in python3-venv.
python3 -c 'import ensurepip, venv' 2>/dev/null || missing+=(python3-venv)
# Node.js and npm install the front-end packages; any recent Node will do.
command -v npm >/dev/null 2>&1 || missing+=(nodejs npm)

if [ ${#missing[@]} -eq 0 ]; then
  say "System packages present."
  exit 0
fi

say "Installing missing system packages: ${missing[*]}"
as_root apt-get update -qq
to_install=()
for package in "${missing[@]}"; do
  if [ "$package" = postgis-for-postgresql ]; then
    # Debian 12 ships PostgreSQL 15; other releases have another major version.
    if apt-cache show postgresql-15-postgis-3 >/dev/null 2>&1; then
      to_install+=(postgresql-15-postgis-3)
    else
      to_install+=(postgresql postgis)
    fi
  else
    to_install+=("$package")
  fi
done
[ ${#to_install[@]} -eq 0 ] || as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${to_install[@]}"
