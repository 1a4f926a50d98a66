"""Which records a user may see and edit, by country.

A record belongs to the member states named in `COUNTRY_SCOPES`. The Secretariat (and
superusers) edit every country; reviewers view every country; a country focal point sees and
edits only the records of the countries it is assigned to. Every write path (admin, import,
API) checks a record with `record_in_scope` after writing it, inside the write's transaction,
so a record moved to another country is refused as well as one that started there.
"""

from collections.abc import Iterable

from django.apps import apps
from django.db.models import Exists, Model, OuterRef, Q, QuerySet

EDIT_ALL = "governance.edit_all_countries"
VIEW_ALL = "governance.view_all_countries"

# model label → lookups to protected_areas.Country; a record belongs to a country when any
# lookup reaches it. An occurrence belongs to its protected area's country and to the
# country whose boundary contains its point (see `_occurrence_scope`).
COUNTRY_SCOPES: dict[str, tuple[str, ...]] = {
    "protected_areas.protectedarea": ("country",),
    "protected_areas.transboundarylink": ("protected_areas__country",),
    "species.populationestimate": ("country", "protected_area__country"),
    "species.occurrence": ("protected_area__country",),
    "species.speciespresence": ("protected_area__country",),
    "species.countseries": ("country",),
    "species.sitecount": ("series__country",),
    "projects.project": ("countries",),
    "projects.output": ("project__countries",),
    "meetings.decision": ("related_projects__countries",),
    # Camera stations and genetic samples belong to the country of their point; the rest of
    # the monitoring records to the countries where their animals were detected.
    "monitoring.monitoringdataset": ("stations__country", "genetic_samples__country"),
    "monitoring.camerastation": ("country",),
    "monitoring.media": ("station__country",),
    "monitoring.cameraobservation": ("station__country",),
    "monitoring.geneticsample": ("country",),
    "monitoring.individual": ("camera_observations__station__country", "genetic_samples__country"),
    "monitoring.crossborderidentity": (
        "individuals__camera_observations__station__country",
        "individuals__genetic_samples__country",
    ),
    "monitoring.identitymatch": (
        "individual_a__camera_observations__station__country",
        "individual_a__genetic_samples__country",
        "individual_b__camera_observations__station__country",
        "individual_b__genetic_samples__country",
    ),
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
    "programme.strategydocument",
    "programme.documentsource",
    "programme.goal",
    "programme.activity",
    "programme.activityproject",
    "programme.programmefact",
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


def _country_q(label: str, country_ids: set[int], *, editing: bool) -> Q:
    q = Q()
    for lookup in COUNTRY_SCOPES[label]:
        q |= Q(**{f"{lookup}__in": country_ids})
    if label == "species.occurrence":
        q = _occurrence_scope(q, country_ids, editing=editing)
    return q


def _occurrence_scope(by_area: Q, country_ids: set[int], *, editing: bool) -> Q:
    """An occurrence is checked on both its protected area's country and the country whose
    boundary contains its point (issue 15, case 4). A focal point sees it when either is
    its own, and edits it only when neither is another's: a point in Russia filed under a
    Mongolian area is Russia's to see and fix, and not Mongolia's to change. A point in no
    country's boundary (at sea) goes by its area alone."""
    countries = apps.get_model("protected_areas", "Country").objects.filter(
        boundary__contains=OuterRef("location")
    )
    in_own = Exists(countries.filter(pk__in=country_ids))
    if not editing:
        return by_area | in_own
    in_other = Exists(countries.exclude(pk__in=country_ids))
    return (by_area | (Q(protected_area__isnull=True) & in_own)) & ~in_other


def records_in_countries_q(label: str, country_ids: Iterable[int]) -> Q:
    """The records of model `label` (e.g. "species.occurrence") that belong to these
    countries alone, as a filter: those a focal point of them may edit."""
    return _country_q(label, set(country_ids), editing=True)


def records_editable_by(user, queryset: QuerySet) -> QuerySet:
    """The part of `queryset` the user may change (and delete, where its role allows)."""
    return _records_in_countries(user, queryset, editing=True)


def _records_in_countries(user, queryset: QuerySet, *, editing: bool) -> QuerySet:
    country_ids = user_country_ids(user)
    if country_ids is None:
        return queryset
    label = queryset.model._meta.label_lower
    if label not in COUNTRY_SCOPES or not country_ids:
        return queryset.none()
    # A record reached through several of the user's countries (a joint project) must
    # appear once: filter on primary keys rather than `distinct()` the whole queryset.
    matching = queryset.model._base_manager.filter(_country_q(label, country_ids, editing=editing))
    return queryset.filter(pk__in=matching.values("pk"))


def records_visible_to(user, queryset: QuerySet) -> QuerySet:
    """The part of `queryset` the user may see in the admin (drafts included)."""
    if user.is_superuser or user.has_perm(VIEW_ALL) or user.has_perm(EDIT_ALL):
        return queryset
    if queryset.model._meta.label_lower in SECRETARIAT_ONLY:
        return queryset
    return _records_in_countries(user, queryset, editing=False)


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


def translation_status(instance: Model, language: str):
    """The provenance of a record's text in one language (a TranslationStatus), or None."""
    from django.contrib.contenttypes.models import ContentType  # noqa: PLC0415

    from .models import TranslationStatus  # noqa: PLC0415

    return TranslationStatus.objects.filter(
        content_type=ContentType.objects.get_for_model(instance),
        object_id=instance.pk,
        language=language,
    ).first()
