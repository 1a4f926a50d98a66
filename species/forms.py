from django.utils.translation import gettext_lazy as _

from .models import Species


def species_choices() -> list[tuple[str, str]]:
    """The species filter of the public lists (the protected areas, the projects)."""
    return [
        ("", _("Any species")),
        *((s.slug, s.common_name) for s in Species.objects.published()),
    ]
