"""The open-data files, served as built by the tasks. Thin: building is in `services`."""

import os

from django.http import FileResponse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date
from django.views.decorators.http import require_safe

from .services import occurrence_archive_path, occurrence_archive_publish


@require_safe
def occurrence_archive(request):
    """The Darwin Core Archive of published occurrences, with an ETag and a date so that a
    client (or GBIF's IPT) fetching it again gets an empty 304 while the data is unchanged.
    Built here only the first time, before any task has built it."""
    path = occurrence_archive_path()
    if not path.exists():
        occurrence_archive_publish(only_if_missing=True)
    # The open file, not the path: a rebuild may replace the file while it is being sent.
    archive = open(path, "rb")  # noqa: SIM115 (FileResponse closes it)
    stat = os.fstat(archive.fileno())
    etag = f'"{stat.st_size:x}-{stat.st_mtime_ns:x}"'
    last_modified = int(stat.st_mtime)
    not_modified = get_conditional_response(request, etag=etag, last_modified=last_modified)
    if not_modified is not None:
        archive.close()
        response = not_modified
    else:
        response = FileResponse(
            archive,
            as_attachment=True,
            filename="neaspec-occurrences-dwca.zip",
            content_type="application/zip",
        )
    response["ETag"] = etag
    response["Last-Modified"] = http_date(last_modified)
    # Public data, the same for everyone; revalidated on every use (a cheap 304).
    patch_cache_control(response, public=True, no_cache=True)
    return response
