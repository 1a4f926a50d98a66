from django.apps import AppConfig
from django.db.models.signals import pre_migrate

from .spatialite import spatialite_drop_unused_iso_metadata_triggers


class CommonConfig(AppConfig):
    name = "common"
    verbose_name = "Common"

    def ready(self):
        pre_migrate.connect(
            spatialite_drop_unused_iso_metadata_triggers,
            dispatch_uid="spatialite_drop_unused_iso_metadata_triggers",
        )
