"""Reads for the programme pages. Every public queryset starts from `published()`."""

from django.db.models import Prefetch, QuerySet
from django.utils.translation import ngettext

from projects.models import Project
from protected_areas.models import ProtectedArea, TransboundaryLink
from species.models import Species

from .models import Activity, ActivityProject, ProgrammeFact, StrategyDocument


def strategy_document_list() -> QuerySet[StrategyDocument]:
    """Published documents; one adopted at a meeting that is not (yet, or any more) public
    shows no meeting (`adopted_at` None), as a project's approving meeting does."""
    meeting_model = StrategyDocument._meta.get_field("adopted_at").related_model
    return StrategyDocument.objects.published().prefetch_related(
        Prefetch("adopted_at", queryset=meeting_model.objects.published())
    )


def _published_links() -> Prefetch:
    return Prefetch(
        "links",
        queryset=ActivityProject.objects.filter(project__in=Project.objects.published())
        .select_related("project")
        .order_by("project__start_year", "project__title"),
    )


def strategy_document_detail_queryset() -> QuerySet[StrategyDocument]:
    """A document with its goals, sources, target species and activities, each activity
    with the published projects that implement it. A fixed number of queries."""
    return strategy_document_list().prefetch_related(
        "goals",
        "sources",
        Prefetch("target_species", queryset=Species.objects.published()),
        Prefetch("activities", queryset=Activity.objects.prefetch_related(_published_links())),
    )


def activities_of_project(project: Project) -> list[ActivityProject]:
    """The activities of published strategy documents that a project implements, with the
    basis of each link (the Secretariat's statement, or the portal team's reading)."""
    return list(
        ActivityProject.objects.filter(
            project=project, activity__document__in=StrategyDocument.objects.published()
        ).select_related("activity__document")
    )


def _areas_recorded() -> str:
    count = ProtectedArea.objects.published().count()
    return ngettext(
        "This portal records %(count)d protected area in all, on borders or not.",
        "This portal records %(count)d protected areas in all, on borders or not.",
        count,
    ) % {"count": count}


def _areas_linked() -> str:
    count = (
        ProtectedArea.objects.published()
        .filter(transboundary_links__in=TransboundaryLink.objects.published())
        .values("pk")  # a DISTINCT over every column would read each boundary
        .distinct()
        .count()
    )
    return ngettext(
        "This portal records %(count)d protected area linked with one across a border.",
        "This portal records %(count)d protected areas linked with one across a border.",
        count,
    ) % {"count": count}


# What the portal itself records beside a programme fact, by the fact's key. The portal's
# figure is not a part of the Secretariat's: it is said for what it is.
PORTAL_RECORDS = {
    "protected-areas-along-borders": _areas_recorded,
    "protected-areas-adjoining": _areas_linked,
}


def programme_facts() -> list[ProgrammeFact]:
    """The programme's facts, each with `portal_records` (a sentence saying what the portal
    records of the same thing) where the portal has a comparable figure, else ""."""
    facts = list(ProgrammeFact.objects.all())
    for fact in facts:
        portal_records = PORTAL_RECORDS.get(fact.key)
        fact.portal_records = portal_records() if portal_records else ""
    return facts
