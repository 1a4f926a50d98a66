"""Uploaded files: which record a stored file belongs to, and sending it.

Every upload is stored as `<directory>/<random hex><extension>` (common.uploads.RandomName),
and thumbnails as `thumbnails/<directory>/<hex>-<width>x<height>.jpg` (common.images), so a
name leads back to its record through the file fields whose `upload_to` names that directory.

Sending is done by Django, or, when a proxy is in front, handed to it after the portal has
decided who may have the file (`MEDIA_SERVE_MODE`): `x-accel-redirect` for nginx (an
`internal` location at `MEDIA_ACCEL_REDIRECT_PREFIX` aliased to MEDIA_ROOT), `x-sendfile` for
Apache's mod_xsendfile or lighttpd."""

import functools
import mimetypes
import re
from urllib.parse import quote

from django.apps import apps
from django.conf import settings
from django.core.files.storage import default_storage
from django.db import models
from django.http import FileResponse, Http404, HttpResponse
from django.utils.cache import patch_cache_control, patch_vary_headers

from .uploads import RandomName

SERVE_MODES = ("django", "x-accel-redirect", "x-sendfile")
UPLOAD_NAME = re.compile(r"^(?P<directory>[a-z_]+)/(?P<stem>[0-9a-f]{32})\.[a-z0-9]{1,8}$")
THUMBNAIL_NAME = re.compile(
    r"^thumbnails/(?P<directory>[a-z_]+)/(?P<stem>[0-9a-f]{32})-\d{1,5}x\d{1,5}\.jpg$"
)


@functools.cache
def upload_fields() -> dict[str, list[tuple[type[models.Model], str]]]:
    """directory → the (model, field name) pairs whose uploads are stored there."""
    fields: dict[str, list[tuple[type[models.Model], str]]] = {}
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if isinstance(field, models.FileField) and isinstance(field.upload_to, RandomName):
                fields.setdefault(field.upload_to.directory, []).append((model, field.name))
    return fields


def media_owner(name: str) -> models.Model | None:
    """The record whose file (or a thumbnail of it) is stored under `name`, deleted and
    unpublished records included; None for a name no record holds."""
    thumbnail = THUMBNAIL_NAME.match(name)
    match = thumbnail or UPLOAD_NAME.match(name)
    if match is None:
        return None
    directory, stem = match["directory"], match["stem"]
    for model, field_name in upload_fields().get(directory, []):
        lookup = (
            {f"{field_name}__startswith": f"{directory}/{stem}."}
            if thumbnail
            else {field_name: name}
        )
        record = model._base_manager.filter(**lookup).first()
        if record is not None:
            return record
    return None


def media_response(name: str, *, public: bool) -> HttpResponse:
    """The file `name` of MEDIA_ROOT, sent as `MEDIA_SERVE_MODE` says; cached by anyone when
    `public`, else by the reader's browser only."""
    mode = settings.MEDIA_SERVE_MODE
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    if mode == "x-accel-redirect":
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = settings.MEDIA_ACCEL_REDIRECT_PREFIX + quote(name)
    elif mode == "x-sendfile":
        response = HttpResponse(content_type=content_type)
        response["X-Sendfile"] = default_storage.path(name)
    else:
        try:
            response = FileResponse(default_storage.open(name), content_type=content_type)
        except FileNotFoundError:
            raise Http404("The file is missing from the media store.") from None
    response["X-Content-Type-Options"] = "nosniff"
    if public:
        patch_cache_control(response, public=True, max_age=settings.MEDIA_CACHE_SECONDS)
    else:
        patch_cache_control(response, private=True, no_store=True)
        patch_vary_headers(response, ["Cookie"])
    return response
