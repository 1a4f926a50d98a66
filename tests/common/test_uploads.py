"""Uploads are judged by content, limited in size, renamed, and images lose their EXIF."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from PIL import Image

from projects.models import Output
from tests import factories

pytestmark = pytest.mark.django_db

GPS_IFD = 0x8825
WINDOWS_EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200


def jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (64, 48), (40, 120, 60))
    exif = Image.Exif()
    exif[0x010F] = "TrailCam Co."  # camera make
    gps = exif.get_ifd(GPS_IFD)
    gps.update({1: "N", 2: (43.0, 12.0, 30.0), 3: "E", 4: (131.0, 20.0, 5.0)})
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif)
    data = buffer.getvalue()
    assert Image.open(io.BytesIO(data)).getexif().get_ifd(GPS_IFD)  # the fixture has GPS
    return data


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    return buffer.getvalue()


def output_with(name: str, content: bytes) -> Output:
    return Output(
        project=factories.ProjectFactory(),
        kind="report",
        title="Report",
        year=2024,
        file=SimpleUploadedFile(name, content),
    )


def test_a_photo_with_gps_exif_is_stored_re_encoded_without_it_under_a_random_name():
    species = factories.SpeciesFactory(photo_credit="WCS Russia")
    species.photo = SimpleUploadedFile("leopard-trap-17-kedrovaya.jpg", jpeg_with_gps())
    species.full_clean()
    species.save()
    assert species.photo.name.startswith("species/")
    assert species.photo.name.endswith(".jpg")
    assert "leopard" not in species.photo.name
    with species.photo.open("rb") as stored:
        image = Image.open(stored)
        assert image.format == "JPEG"
        assert image.size == (64, 48)
        assert not image.getexif()
        assert not image.getexif().get_ifd(GPS_IFD)
        stored.seek(0)
        assert b"TrailCam" not in stored.read()


def test_a_renamed_executable_is_refused_as_a_document_and_as_a_picture():
    with pytest.raises(ValidationError) as error:
        output_with("final-report.pdf", WINDOWS_EXE).full_clean()
    assert "does not contain a PDF document" in str(error.value.message_dict["file"])
    species = factories.SpeciesFactory(photo_credit="x")
    species.photo = SimpleUploadedFile("tiger.jpg", WINDOWS_EXE)
    with pytest.raises(ValidationError) as error:
        species.full_clean()
    assert "not a picture" in str(error.value.message_dict["photo"])


def test_documents_of_accepted_types_pass():
    output_with("report.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n").full_clean()
    output_with("report.docx", docx_bytes()).full_clean()
    output_with("counts.csv", "site,count\nДаурия,12\n".encode()).full_clean()


def test_an_unlisted_type_and_a_mismatched_archive_are_refused():
    with pytest.raises(ValidationError, match="accepted documents"):
        output_with("installer.exe", WINDOWS_EXE).full_clean()
    with pytest.raises(ValidationError, match="Excel"):
        output_with("table.xlsx", docx_bytes()).full_clean()


@override_settings(PORTAL_MAX_UPLOAD_BYTES=1024)
def test_an_oversized_file_is_refused_with_the_limit():
    with pytest.raises(ValidationError) as error:
        output_with("big.pdf", b"%PDF-1.7\n" + b"0" * 2048).full_clean()
    (message,) = error.value.message_dict["file"]
    assert "files may be at most 1.0\xa0KB" in message


@override_settings(PORTAL_MAX_UPLOAD_BYTES=1024)
def test_the_admin_refuses_an_oversized_upload_and_saves_nothing(staff_client):
    project = factories.ProjectFactory()
    response = staff_client.post(
        reverse("admin:projects_output_add"),
        {
            "project": project.pk,
            "kind": "report",
            "title": "Too big",
            "year": 2024,
            "file": SimpleUploadedFile("big.pdf", b"%PDF-1.7\n" + b"0" * 4096),
        },
    )
    assert response.status_code == 200
    assert "files may be at most" in response.content.decode()
    assert not Output.objects.filter(title="Too big").exists()


def test_the_admin_stores_a_clean_picture(staff_client):
    project = factories.ProjectFactory(hero_image_credit="UNEP")
    project.hero_image = SimpleUploadedFile("IMG_2031.jpeg", jpeg_with_gps())
    project.full_clean()
    project.save()
    with project.hero_image.open("rb") as stored:
        assert not Image.open(stored).getexif()
