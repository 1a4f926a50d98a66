from django.apps import AppConfig
from django.db.models.signals import pre_migrate


class CommonConfig(AppConfig):
    name = "common"
    verbose_name = "Common"

    def ready(self):
        from neaspec_portal.sqlite_compat import (  # noqa: PLC0415
            spatialite_drop_unused_iso_metadata_triggers,
        )

        pre_migrate.connect(
            spatialite_drop_unused_iso_metadata_triggers,
            dispatch_uid="spatialite_drop_unused_iso_metadata_triggers",
        )
