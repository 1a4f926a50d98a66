"""Who read what the public may not see: exact points of sensitive species, unpublished
records, change history.

Views and admin pages call `access_note(request, …)` where they hand such data out; the
middleware writes the request's note, if any, as one `AccessLogEntry` once the response is
ready — one insert per request at most, and none for a refused or failed request. A request
that hands out several such things keeps its most telling note (exact points, then history,
then a draft).

In the admin, `AccessLoggedAdminMixin` (part of every HistoryAdmin) notes the change page of
an unpublished record and every history page; an admin whose records carry exact sensitive
points says so in `access_kind`."""

import logging

from django.contrib.contenttypes.models import ContentType
from django.db import DatabaseError
from django.db.models import Model

from .models import AccessKind, AccessLogEntry

logger = logging.getLogger(__name__)

REQUEST_ATTRIBUTE = "_access_log_note"
PRECEDENCE = [AccessKind.EXACT_LOCATIONS, AccessKind.HISTORY, AccessKind.DRAFT]


def access_note(request, *, kind: AccessKind, record: Model | None = None, label: str = "") -> None:
    """Note that this request hands `kind` out (about `record`, or described by `label`)."""
    noted = getattr(request, REQUEST_ATTRIBUTE, None)
    if noted is not None and PRECEDENCE.index(noted["kind"]) <= PRECEDENCE.index(kind):
        return
    setattr(request, REQUEST_ATTRIBUTE, {"kind": kind, "record": record, "label": label})


def _entry(request, note: dict) -> AccessLogEntry:
    record = note["record"]
    user = request.user
    return AccessLogEntry(
        user=user,
        username=user.get_username(),
        kind=note["kind"],
        content_type=ContentType.objects.get_for_model(record) if record is not None else None,
        object_id=record.pk if record is not None else None,
        object_repr=(str(record) if record is not None else note["label"])[:200],
        path=request.get_full_path()[:500],
    )


class AccessLogMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        note = getattr(request, REQUEST_ATTRIBUTE, None)
        if note is not None and response.status_code < 400 and request.user.is_authenticated:
            try:
                _entry(request, note).save()
            except DatabaseError:
                # The reader has the data already; losing the line must not lose the page.
                logger.exception("Access log entry not written for %s", request.path)
        return response


class AccessLoggedAdminMixin:
    def access_kind(self, obj: Model) -> AccessKind | None:
        """What this record's admin page shows that the public may not see, if anything."""
        if getattr(obj, "is_published", True) is False:
            return AccessKind.DRAFT
        return None

    def _note_record(self, request, obj: Model | None) -> None:
        kind = self.access_kind(obj) if obj is not None else None
        if kind is not None:
            access_note(request, kind=kind, record=obj)

    def render_change_form(  # noqa: PLR0917 - Django's signature
        self, request, context, add=False, change=False, form_url="", obj=None
    ):
        if change:
            self._note_record(request, obj)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def render_history_view(self, request, template, context, **kwargs):
        # django-simple-history's list of versions: the record is its "object".
        record = context.get("object")
        if record is not None:
            access_note(request, kind=AccessKind.HISTORY, record=record)
            self._note_record(request, record)
        return super().render_history_view(request, template, context, **kwargs)
