from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    name = "monitoring"
    verbose_name = _("Monitoring: camera traps, genetic samples and individuals")

    def ready(self) -> None:
        from species.models import public_occurrence_condition_register  # noqa: PLC0415

        from .signals import connect, occurrence_of_a_public_dataset_q  # noqa: PLC0415

        public_occurrence_condition_register(occurrence_of_a_public_dataset_q)
        connect()
