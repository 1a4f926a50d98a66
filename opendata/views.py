"""The open-data files, served as built by the tasks, and the downloads page listing them.
Thin: building is in `services` and `layer_files`."""

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
from .selectors import archive_data_version
from .services import occurrence_archive_path, occurrence_archive_publish
from .signals import queue_layer_files_rebuild


@require_safe
def occurrence_archive(request):
    """The Darwin Core Archive of published occurrences, with an ETag and a date so that a
    client (or GBIF's IPT) fetching it again gets an empty 304 while the data is unchanged.
    Built here only the first time, before any task has built it."""
    path = occurrence_archive_path()
    if not path.exists():
        occurrence_archive_publish(only_if_missing=True)
    return _file_response(
        request, path, filename="neaspec-occurrences-dwca.zip", content_type="application/zip"
    )


@require_safe
def layer_file(request, collection_id: str, extension: str):
    """One collection as GeoJSON, GeoPackage or CSV, as the last build wrote it."""
    if collection_id not in COLLECTIONS or extension not in FORMATS:
        raise Http404("No such download.")
    path = layer_file_path(collection_id, extension)
    if not path.exists():
        raise Http404("This file is being prepared; try again in a few minutes.")
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
    and the data's version. The first visit, before any build, asks for one."""
    manifest = read_manifest()
    if manifest is None:
        queue_layer_files_rebuild(only_if_built=False)
        manifest = read_manifest()  # built already when tasks run eagerly
    version = datetime.datetime.fromisoformat(manifest["version"]) if manifest else None
    archive_version = archive_data_version()
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
        if manifest and collection.id in manifest["layers"]
    ]
    return render(
        request,
        "opendata/downloads.html",
        {
            "layers": layers,
            "version": version,
            "built": datetime.datetime.fromisoformat(manifest["built"]) if manifest else None,
            "citation": layers_citation(version=version) if version else "",
            "archive_citation": citation(version=archive_version) if archive_version else "",
            "licence": LICENCES[settings.OPENDATA_LICENCE],
        },
    )
