"""The open-data files, served as built by the tasks, and the downloads page listing them.
Thin: building is in `services` and `layer_files`, and when a request may build or must only
queue (opendata.queueing) is decided there.

A reader asking for a file gets it at once: the last one built, which says its own date (its
Last-Modified, and on the downloads page its data version and build date, with a note while
newer data waits for the worker), rather than a wait of minutes for a rebuild in the request
that a proxy's timeout may cut. Only files that were never built are built on demand; and
without a worker (`make run`) stale ones too, as nothing else would rebuild them."""

import datetime
import os
from pathlib import Path

from django.conf import settings
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date
from django.views.decorators.http import require_safe

from .collections import COLLECTIONS
from .darwin_core import LICENCES
from .eml import citation
from .layer_files import FORMATS, layer_file_path, layers_citation, read_manifest
from .queueing import layer_files_up_to_date, occurrence_archive_up_to_date
from .services import occurrence_archive_manifest, occurrence_archive_path


@require_safe
def occurrence_archive(request):
    """The Darwin Core Archive of published occurrences, with an ETag and a date so that a
    client (or GBIF's IPT) fetching it again gets an empty 304 while the data is unchanged."""
    occurrence_archive_up_to_date()
    path = occurrence_archive_path()
    return _file_response(
        request, path, filename="neaspec-occurrences-dwca.zip", content_type="application/zip"
    )


@require_safe
def layer_file(request, collection_id: str, extension: str):
    """One collection as GeoJSON, GeoPackage or CSV, as the last build wrote it."""
    if collection_id not in COLLECTIONS or extension not in FORMATS:
        raise Http404("No such download.")
    layer_files_up_to_date()
    path = layer_file_path(collection_id, extension)
    return _file_response(
        request,
        path,
        filename=f"neaspec-{path.name}",
        content_type=FORMATS[extension].content_type,
    )


def _file_response(request, path: Path, *, filename: str, content_type: str):
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
            archive, as_attachment=True, filename=filename, content_type=content_type
        )
    response["ETag"] = etag
    response["Last-Modified"] = http_date(last_modified)
    # Public data, the same for everyone; revalidated on every use (a cheap 304).
    patch_cache_control(response, public=True, no_cache=True)
    return response


@require_safe
def downloads(request):
    """Every layer in three formats and the Darwin Core Archive, with the licence, how to cite
    and the version of the data each file holds: that of the files served, not the records'
    latest, which a note says are on their way."""
    layers_stale = layer_files_up_to_date()
    archive_stale = occurrence_archive_up_to_date()
    manifest = read_manifest()
    archive_manifest = occurrence_archive_manifest() or {}
    version = datetime.datetime.fromisoformat(manifest["version"])
    archive_version = archive_manifest.get("version")
    layers = [
        {
            "collection": collection,
            "features": manifest["layers"][collection.id]["features"],
            "files": [
                {
                    "format": FORMATS[extension],
                    "size": manifest["layers"][collection.id]["sizes"][extension],
                }
                for extension in ("csv", "geojson", "gpkg")
            ],
        }
        for collection in COLLECTIONS.values()
        if collection.id in manifest["layers"]
    ]
    response = render(
        request,
        "opendata/downloads.html",
        {
            "layers": layers,
            "version": version,
            "built": datetime.datetime.fromisoformat(manifest["built"]),
            "stale": layers_stale or archive_stale,
            "citation": layers_citation(version=version),
            "archive_citation": (
                citation(version=datetime.datetime.fromisoformat(archive_version))
                if archive_version
                else ""
            ),
            "licence": LICENCES[settings.OPENDATA_LICENCE],
        },
    )
    # What it lists follows the files, which change without the data version moving (the
    # worker's rebuild): no copy kept by the anonymous page cache or a proxy unchecked.
    patch_cache_control(response, no_cache=True)
    return response
