"""Which records a user may see and edit, by country.

A record belongs to the member states named in `COUNTRY_SCOPES`. The Secretariat (and
superusers) edit every country; reviewers view every country; a country focal point sees and
edits only the records of the countries it is assigned to. Every write path (admin, import,
API) checks a record with `record_in_scope` after writing it, inside the write's transaction,
so a record moved to another country is refused as well as one that started there.
"""

from django.apps import apps
from django.db.models import Exists, Model, OuterRef, Q, QuerySet

EDIT_ALL = "governance.edit_all_countries"
VIEW_ALL = "governance.view_all_countries"

# model label → lookups to protected_areas.Country; a record belongs to a country when any
# lookup reaches it. Occurrences outside a protected area belong to the country whose
# boundary contains the point (see `_occurrence_scope`).
COUNTRY_SCOPES: dict[str, tuple[str, ...]] = {
    "protected_areas.protectedarea": ("country",),
    "protected_areas.transboundarylink": ("protected_areas__country",),
    "species.populationestimate": ("country", "protected_area__country"),
    "species.occurrence": ("protected_area__country",),
    "species.countseries": ("country",),
    "species.sitecount": ("series__country",),
    "projects.project": ("countries",),
    "projects.output": ("project__countries",),
    "meetings.decision": ("related_projects__countries",),
}

# Shared across countries (species texts and ranges, meetings and their documents, the
# countries themselves): the Secretariat edits them; focal points may only view them.
SECRETARIAT_ONLY = {
    "species.species",
    "species.speciesrange",
    "species.gbifdownload",
    "meetings.meeting",
    "meetings.meetingdocument",
    "protected_areas.country",
}


def user_country_ids(user) -> set[int] | None:
    """The countries a user edits; None when it edits every country."""
    if not user.is_active:
        return set()
    if user.is_superuser or user.has_perm(EDIT_ALL):
        return None
    if not hasattr(user, "_country_ids_cache"):
        user._country_ids_cache = set(user.country_assignments.values_list("country_id", flat=True))
    return user._country_ids_cache


def _country_q(label: str, country_ids: set[int]) -> Q:
    q = Q()
    for lookup in COUNTRY_SCOPES[label]:
        q |= Q(**{f"{lookup}__in": country_ids})
    if label == "species.occurrence":
        q |= _occurrence_scope(country_ids)
    return q


def _occurrence_scope(country_ids: set[int]) -> Q:
    country_model = apps.get_model("protected_areas", "Country")
    containing = country_model.objects.filter(
        pk__in=country_ids, boundary__contains=OuterRef("location")
    )
    return Q(protected_area__isnull=True) & Q(Exists(containing))


def records_editable_by(user, queryset: QuerySet) -> QuerySet:
    """The part of `queryset` the user may change (and delete, where its role allows)."""
    country_ids = user_country_ids(user)
    if country_ids is None:
        return queryset
    label = queryset.model._meta.label_lower
    if label not in COUNTRY_SCOPES or not country_ids:
        return queryset.none()
    # A record reached through several of the user's countries (a joint project) must
    # appear once: filter on primary keys rather than `distinct()` the whole queryset.
    matching = queryset.model._base_manager.filter(_country_q(label, country_ids))
    return queryset.filter(pk__in=matching.values("pk"))


def records_visible_to(user, queryset: QuerySet) -> QuerySet:
    """The part of `queryset` the user may see in the admin (drafts included)."""
    if user.is_superuser or user.has_perm(VIEW_ALL) or user.has_perm(EDIT_ALL):
        return queryset
    if queryset.model._meta.label_lower in SECRETARIAT_ONLY:
        return queryset
    return records_editable_by(user, queryset)


def record_in_scope(user, instance: Model) -> bool:
    """Whether the user may edit this (saved) record as it now stands."""
    if user_country_ids(user) is None:
        return True
    if instance._meta.label_lower in SECRETARIAT_ONLY or instance.pk is None:
        return False
    queryset = type(instance)._base_manager.filter(pk=instance.pk)
    return records_editable_by(user, queryset).exists()


def record_visible_to(user, instance: Model) -> bool:
    queryset = type(instance)._base_manager.filter(pk=instance.pk)
    return records_visible_to(user, queryset).exists()


def publication_events_for(instance: Model):
    """A record's workflow steps and comments, newest first."""
    from django.contrib.contenttypes.models import ContentType  # noqa: PLC0415

    from .models import PublicationEvent  # noqa: PLC0415

    return PublicationEvent.objects.filter(
        content_type=ContentType.objects.get_for_model(instance), object_id=instance.pk
    ).select_related("by")
