"""The document library: meeting documents and project outputs in one list, published only.

Both kinds are few (tens, a few hundred in time), so each is read in one query and the two
are merged and sorted here; the page costs the same few queries whatever the page number."""

from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _

from common.sql import matches_any_language
from meetings.models import Meeting, MeetingDocument
from projects.models import Output, OutputKind, Project

MEETING_DOCUMENT = "meeting-document"


def document_kind_choices() -> list[tuple[str, str]]:
    return [
        ("", _("Any type")),
        (MEETING_DOCUMENT, _("Meeting document")),
        *OutputKind.choices,
    ]


def language_name(code: str) -> str:
    """A document's language in the reader's language (“English”, “Английский”…), or the
    code as recorded when Django does not know it."""
    try:
        return str(get_language_info(code)["name_translated"])
    except KeyError:
        return code


@dataclass(frozen=True)
class LibraryDocument:
    title: str
    url: str
    kind: str
    kind_label: str
    year: int | None
    language: str
    source_title: str
    source_url: str

    @property
    def language_name(self) -> str:
        return language_name(self.language) if self.language else ""


def _meeting_documents() -> QuerySet[MeetingDocument]:
    return MeetingDocument.objects.filter(meeting__in=Meeting.objects.published()).select_related(
        "meeting"
    )


def _outputs() -> QuerySet[Output]:
    return (
        Output.objects.published()
        .filter(project__in=Project.objects.published())
        .select_related("project")
    )


def _document_url(document) -> str:
    return document.file.url if document.file else document.url


def document_library(
    *, q: str = "", kind: str = "", year: int | None = None, language: str = ""
) -> list[LibraryDocument]:
    """Published meeting documents and project outputs, newest first, narrowed by words in
    their title or their meeting's or project's title (in any portal language), by type,
    year and language. Two queries."""
    documents: list[LibraryDocument] = []
    if kind in ("", MEETING_DOCUMENT):
        meeting_documents = _meeting_documents()
        if q:
            meeting_documents = meeting_documents.filter(
                Q(title__icontains=q)
                | matches_any_language(q, ["meeting__title"], ["meeting__number"])
            )
        if year:
            meeting_documents = meeting_documents.filter(meeting__year=year)
        if language:
            meeting_documents = meeting_documents.filter(language__iexact=language)
        documents += [
            LibraryDocument(
                title=document.title,
                url=_document_url(document),
                kind=MEETING_DOCUMENT,
                kind_label=_("Meeting document"),
                year=document.meeting.year,
                language=document.language,
                source_title=document.meeting.title,
                source_url=document.meeting.get_absolute_url(),
            )
            for document in meeting_documents
        ]
    if kind == "" or kind in OutputKind.values:
        outputs = _outputs()
        if kind:
            outputs = outputs.filter(kind=kind)
        if q:
            outputs = outputs.filter(
                matches_any_language(q, ["title", "project__title"], ["project__acronym"])
            )
        if year:
            outputs = outputs.filter(Q(year=year) | Q(year__isnull=True, date__year=year))
        if language:
            outputs = outputs.filter(language__iexact=language)
        documents += [
            LibraryDocument(
                title=output.title,
                url=_document_url(output),
                kind=output.kind,
                kind_label=output.get_kind_display(),
                year=output.year or (output.date.year if output.date else None),
                language=output.language,
                source_title=output.project.title,
                source_url=output.project.get_absolute_url(),
            )
            for output in outputs
        ]
    documents.sort(key=lambda d: d.title.casefold())
    documents.sort(key=lambda d: d.year or 0, reverse=True)
    return documents


def document_year_choices() -> list[tuple[str, str]]:
    years = set(_meeting_documents().values_list("meeting__year", flat=True))
    years |= {year for year in _outputs().values_list("year", flat=True) if year}
    return [("", _("Any year")), *((str(year), str(year)) for year in sorted(years, reverse=True))]


def document_language_choices() -> list[tuple[str, str]]:
    codes = set(_meeting_documents().values_list("language", flat=True))
    codes |= set(_outputs().values_list("language", flat=True))
    codes = {code.strip().lower() for code in codes if code and code.strip()}
    return [
        ("", _("Any language")),
        *sorted(((code, language_name(code)) for code in codes), key=lambda c: c[1]),
    ]
