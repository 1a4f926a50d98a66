from django.apps import AppConfig


class OpendataConfig(AppConfig):
    name = "opendata"
    verbose_name = "Open data"

    def ready(self):
        from . import checks, signals  # noqa: F401, PLC0415

        signals.connect()
