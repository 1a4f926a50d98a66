"""Thumbnails of uploaded images, made with Pillow the first time a page shows them and
kept in MEDIA_ROOT/thumbnails/ next to the originals."""

import io
import logging
from pathlib import PurePosixPath

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db.models.fields.files import FieldFile
from PIL import Image, UnidentifiedImageError

logger = logging.getLogger(__name__)

IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".gif", ".webp", ".tif", ".tiff"}
THUMBNAIL_SIZE = (480, 320)


def is_image(file: FieldFile | None) -> bool:
    return bool(file) and PurePosixPath(file.name).suffix.lower() in IMAGE_SUFFIXES


def image_thumbnail_url(file: FieldFile | None, *, size: tuple[int, int] = THUMBNAIL_SIZE) -> str:
    """URL of a JPEG thumbnail fitting `size`, or "" for a missing or unreadable image (a
    broken upload must not break the page)."""
    if not is_image(file):
        return ""
    name = f"thumbnails/{PurePosixPath(file.name).with_suffix('')}-{size[0]}x{size[1]}.jpg"
    if not default_storage.exists(name):
        try:
            with file.open("rb") as source, Image.open(source) as image:
                image.thumbnail(size)
                buffer = io.BytesIO()
                image.convert("RGB").save(buffer, format="JPEG", quality=82, optimize=True)
        except (OSError, UnidentifiedImageError):
            logger.warning("No thumbnail for %s: not a readable image", file.name)
            return ""
        default_storage.save(name, ContentFile(buffer.getvalue()))
    return default_storage.url(name)
