from django.db import transaction
from django.db.models import QuerySet

from .models import PublicationState


@transaction.atomic
def publication_set_state(*, queryset: QuerySet, state: PublicationState) -> int:
    """Set the publication state of many records at once; returns how many changed."""
    return queryset.exclude(publication_state=state).update(publication_state=state)
