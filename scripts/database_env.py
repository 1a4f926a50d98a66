"""Print the effective database and media settings as shell assignments, for the backup and
restore scripts: they then back up exactly what the portal uses (DATABASE_URL, MEDIA_ROOT
and the .env file are read by the settings, not parsed again in shell)."""

import os
import shlex
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "neaspec_portal.settings.local")

from django.conf import settings

database = settings.DATABASES["default"]
values = {
    "DB_ENGINE": "postgis" if "postgis" in database["ENGINE"] else "spatialite",
    "DB_NAME": str(database["NAME"]),
    "DB_USER": database.get("USER") or "",
    "DB_PASSWORD": database.get("PASSWORD") or "",
    "DB_HOST": database.get("HOST") or "",
    "DB_PORT": str(database.get("PORT") or ""),
    "MEDIA_DIR": str(settings.MEDIA_ROOT),
}
for name, value in values.items():
    print(f"{name}={shlex.quote(value)}")
