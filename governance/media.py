"""`/media/<name>`: an uploaded file goes to whoever may see its record.

A file of a published record is public. A file of any other record (draft, in review,
archived, deleted) goes only to staff who may view that record in the admin (its country
scope included), and each such read is noted in the access log; to anyone else it does not
exist (404). What “published” means for a record that has no state of its own (a meeting's
document) or hangs on another (a project's output) is said in `PUBLIC_FILE_RULES`, by model
label, as governance refers to the domain models."""

from django.contrib import admin
from django.db.models import Model, Q
from django.http import Http404
from django.views.decorators.http import require_safe

from common.media import media_owner, media_response
from common.models import PublicationState

from .access_log import access_note
from .models import AccessKind

# model label → the publication states that must all be “published” for the record's files
# to be public. A model with uploads missing here has none public (tests check the list).
PUBLIC_FILE_RULES: dict[str, tuple[str, ...]] = {
    "species.species": ("publication_state",),
    "projects.project": ("publication_state",),
    "projects.output": ("publication_state", "project__publication_state"),
    "meetings.meetingdocument": ("meeting__publication_state",),
    # Files given to the imports: kept privately (IMPORTS_ROOT), never public.
    "imports.import": (),
}


def file_is_public(record: Model) -> bool:
    rule = PUBLIC_FILE_RULES.get(record._meta.label_lower)
    if not rule:
        return False
    published = Q(pk=record.pk)
    for lookup in rule:
        published &= Q(**{lookup: PublicationState.PUBLISHED})
    return type(record)._base_manager.filter(published).exists()


def staff_may_view(request, record: Model) -> bool:
    """Whether the admin would show this record to the user: its queryset (country scope,
    deleted records for the Secretariat only) and its view permission."""
    user = request.user
    if not (user.is_active and user.is_staff) or not admin.site.is_registered(type(record)):
        return False
    model_admin = admin.site.get_model_admin(type(record))
    return model_admin.get_queryset(request).filter(
        pk=record.pk
    ).exists() and model_admin.has_view_permission(request, record)


@require_safe
def media_file(request, name: str):
    record = media_owner(name)
    if record is None:
        raise Http404("No file here.")
    if file_is_public(record):
        return media_response(name, public=True)
    if staff_may_view(request, record):
        access_note(request, kind=AccessKind.DRAFT, record=record)
        return media_response(name, public=False)
    raise Http404("No file here.")
