from django.conf import settings
from django.core.checks import Error, register

from .darwin_core import LICENCES


@register()
def licence_check(app_configs, **kwargs):
    """The archive's licence must be one GBIF accepts; refuse to start with any other."""
    if settings.OPENDATA_LICENCE in LICENCES:
        return []
    return [
        Error(
            f"OPENDATA_LICENCE is “{settings.OPENDATA_LICENCE}”.",
            hint=f"Set it to one of {', '.join(LICENCES)} (the licences GBIF accepts).",
            id="opendata.E001",
        )
    ]
