"""Uploaded files: checked by content (not by their name), limited in size, stored under
random names, and images re-encoded so nothing but pixels is kept (no EXIF, so no camera
GPS position of a sensitive species' photo).

Applied as model fields, so every write path (admin, services, API, loader) goes through
them: `SanitisedImageField` for pictures, `DocumentField` for reports and meeting papers.
"""

import io
import uuid
import warnings
import zipfile
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import models
from django.template.defaultfilters import filesizeformat
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

IMAGE_FORMATS = {"JPEG": ".jpg", "PNG": ".png", "WEBP": ".webp"}

# Document types by their first bytes; the file name's extension must agree with the content.
DOCUMENT_TYPES = {
    ".pdf": "PDF",
    ".docx": "Word",
    ".xlsx": "Excel",
    ".pptx": "PowerPoint",
    ".odt": "OpenDocument text",
    ".ods": "OpenDocument spreadsheet",
    ".csv": "CSV",
    ".txt": "plain text",
}
OOXML_PARTS = {".docx": "word/", ".xlsx": "xl/", ".pptx": "ppt/"}
ODF_MIMETYPES = {
    ".odt": b"application/vnd.oasis.opendocument.text",
    ".ods": b"application/vnd.oasis.opendocument.spreadsheet",
}
SNIFF_BYTES = 8192


@deconstructible
class RandomName:
    """`upload_to` that keeps only the (lower-cased) extension: names chosen by uploaders
    can carry personal data or path tricks, and guessable names invite enumeration."""

    def __init__(self, directory: str):
        self.directory = directory

    def __call__(self, instance, filename: str) -> str:
        return f"{self.directory}/{uuid.uuid4().hex}{PurePath(filename).suffix.lower()}"

    def __eq__(self, other):
        return isinstance(other, RandomName) and other.directory == self.directory

    def __hash__(self):
        return hash(self.directory)


def _is_new_upload(value) -> bool:
    return bool(value) and not getattr(value, "_committed", True)


def _check_size(value) -> None:
    limit = settings.PORTAL_MAX_UPLOAD_BYTES
    if value.size > limit:
        raise ValidationError(
            _("“%(name)s” is %(size)s; files may be at most %(limit)s. Reduce or split it.")
            % {
                "name": PurePath(value.name).name,
                "size": filesizeformat(value.size),
                "limit": filesizeformat(limit),
            },
            code="file_too_large",
        )


def _read_head(value) -> bytes:
    value.open("rb")
    value.seek(0)
    head = value.read(SNIFF_BYTES)
    value.seek(0)
    return head


def _open_image(value) -> Image.Image:
    """Open and fully decode the picture; refuse anything Pillow cannot or should not."""
    value.seek(0)
    try:
        with warnings.catch_warnings():
            # A “decompression bomb” (a few KB that expand to gigapixels) is an attack.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(value)
            image.load()
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombWarning) as exc:
        raise ValidationError(
            _(
                "“%(name)s” is not a picture Pillow can read (%(error)s). Upload a JPEG, PNG "
                "or WebP image."
            )
            % {"name": PurePath(value.name).name, "error": exc},
            code="invalid_image",
        ) from exc
    finally:
        value.seek(0)
    if image.format not in IMAGE_FORMATS:
        raise ValidationError(
            _("“%(name)s” is a %(format)s image; upload a JPEG, PNG or WebP image.")
            % {"name": PurePath(value.name).name, "format": image.format},
            code="image_format",
        )
    return image


def validate_image_upload(value) -> None:
    """A new upload must be a JPEG, PNG or WebP picture within the size limit."""
    if not _is_new_upload(value):
        return
    _check_size(value)
    _open_image(value)


def validate_document_upload(value) -> None:
    """A new upload must be a document of an accepted type — judged by its content, which
    must agree with its extension — within the size limit."""
    if not _is_new_upload(value):
        return
    _check_size(value)
    name = PurePath(value.name).name
    extension = PurePath(value.name).suffix.lower()
    if extension not in DOCUMENT_TYPES:
        raise ValidationError(
            _("“%(name)s”: accepted documents are %(types)s.")
            % {"name": name, "types": ", ".join(sorted(DOCUMENT_TYPES))},
            code="document_type",
        )
    if not _content_matches(value, extension):
        raise ValidationError(
            _(
                "“%(name)s” does not contain a %(kind)s document although its name says so. "
                "Export the document again as %(kind)s and upload that file."
            )
            % {"name": name, "kind": DOCUMENT_TYPES[extension]},
            code="document_content",
        )


def _content_matches(value, extension: str) -> bool:
    head = _read_head(value)
    if extension == ".pdf":
        return head.startswith(b"%PDF-")
    if extension in (".csv", ".txt"):
        return _is_utf8_text(head)
    return head.startswith(b"PK\x03\x04") and _is_office_archive(value, extension)


def _is_utf8_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        # A multi-byte character cut at the end of the sample is still text.
        return exc.start >= len(head) - 3
    return True


def _is_office_archive(value, extension: str) -> bool:
    try:
        with zipfile.ZipFile(value) as archive:
            names = archive.namelist()
            if extension in OOXML_PARTS:
                return "[Content_Types].xml" in names and any(
                    name.startswith(OOXML_PARTS[extension]) for name in names
                )
            return "mimetype" in names and archive.read("mimetype") == ODF_MIMETYPES[extension]
    except zipfile.BadZipFile:
        return False
    finally:
        value.seek(0)


def image_reencoded(value) -> tuple[ContentFile, str]:
    """The picture's pixels only, in its own format, upright; returns (content, extension).
    EXIF (camera position, owner, serial numbers), XMP and text chunks are dropped."""
    image = _open_image(value)
    image_format = image.format
    upright = ImageOps.exif_transpose(image)
    if image_format == "JPEG" and upright.mode not in ("RGB", "L"):
        upright = upright.convert("RGB")
    clean = Image.new(upright.mode, upright.size)
    clean.paste(upright)
    if upright.mode == "P" and upright.getpalette():
        clean.putpalette(upright.getpalette())
    buffer = io.BytesIO()
    options = {"quality": 90} if image_format in ("JPEG", "WEBP") else {}
    clean.save(buffer, format=image_format, **options)
    return ContentFile(buffer.getvalue()), IMAGE_FORMATS[image_format]


class SanitisedImageField(models.ImageField):
    """An ImageField whose new uploads are verified and re-encoded before they are stored."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("validators", [validate_image_upload])
        super().__init__(*args, **kwargs)

    def pre_save(self, model_instance, add):
        file = getattr(model_instance, self.attname)
        if _is_new_upload(file):
            content, extension = image_reencoded(file)
            file.save(f"{PurePath(file.name).stem}{extension}", content, save=False)
        return super().pre_save(model_instance, add)


class DocumentField(models.FileField):
    """A FileField accepting only documents whose content matches their type."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("validators", [validate_document_upload])
        super().__init__(*args, **kwargs)
