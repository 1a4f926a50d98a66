from django.apps import AppConfig
from django.db.models.signals import post_migrate, pre_migrate

from .dataversion import install_data_version_triggers
from .spatialite import spatialite_drop_unused_iso_metadata_triggers


class CommonConfig(AppConfig):
    name = "common"
    verbose_name = "Common"

    def ready(self):
        pre_migrate.connect(
            spatialite_drop_unused_iso_metadata_triggers,
            dispatch_uid="spatialite_drop_unused_iso_metadata_triggers",
        )
        post_migrate.connect(
            install_data_version_triggers, dispatch_uid="install_data_version_triggers"
        )
