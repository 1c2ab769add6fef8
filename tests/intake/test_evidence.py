"""Evidence files: type by content, size caps, zip bombs, metadata removal, names never paths."""

from __future__ import annotations

import io
import os
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from amparo.intake import evidence
from amparo.intake.evidence import EvidenceRejected, check
from tests.intake.conftest import png_bytes


def docx(entries: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
        for name, data in entries.items():
            archive.writestr(name, data)
    return out.getvalue()


def test_the_type_comes_from_the_content_not_the_name():
    assert check(png_bytes()).extension == "jpg"
    with pytest.raises(EvidenceRejected):
        check(b"MZ\x90\x00\x03" + b"\x00" * 500)  # a Windows program, whatever it is called
    with pytest.raises(EvidenceRejected):
        check(b"\x7fELF\x02\x01\x01" + b"\x00" * 500)


def test_gps_and_camera_tags_are_removed_from_the_staff_copy():
    data = png_bytes("Pixel-9-Pro")
    checked = check(data)
    assert b"Pixel-9-Pro" in data and b"Pixel-9-Pro" not in checked.clean
    from PIL import Image

    assert not Image.open(io.BytesIO(checked.clean)).getexif()
    assert checked.metadata_removed


def test_pdf_author_is_removed():
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(100, 100)
    writer.add_metadata({"/Author": "Jane Reporter", "/Title": "leak"})
    out = io.BytesIO()
    writer.write(out)
    checked = check(out.getvalue())
    assert checked.extension == "pdf" and b"Jane Reporter" not in checked.clean


def test_office_document_properties_are_removed():
    data = docx({"docProps/core.xml": b"<dc:creator>Jane Reporter</dc:creator>"})
    checked = check(data)
    assert checked.extension == "docx"
    assert b"Jane Reporter" not in checked.clean
    assert "docProps/core.xml" not in zipfile.ZipFile(io.BytesIO(checked.clean)).namelist()


def test_plain_archives_are_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("photo.jpg", png_bytes())
    with pytest.raises(EvidenceRejected, match="Archives"):
        check(out.getvalue())


def test_a_zip_bomb_disguised_as_a_document_is_refused():
    bomb = docx({"word/media/huge.bin": b"\x00" * (30 * 1024 * 1024)})
    assert len(bomb) < 200_000  # tiny on the wire ...
    with pytest.raises(EvidenceRejected):  # ... refused before anything is expanded
        check(bomb)


def test_a_document_with_escaping_paths_is_refused():
    with pytest.raises(EvidenceRejected, match="unsafe"):
        check(docx({"../../etc/cron.d/x": b"x"}))


def test_a_decompression_bomb_picture_is_refused(monkeypatch):
    from PIL import Image

    image = Image.new("L", (3000, 3000))
    out = io.BytesIO()
    image.save(out, "PNG")
    monkeypatch.setattr(evidence, "MAX_IMAGE_PIXELS", 1_000_000)
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 1_000_000 // 2)
    with pytest.raises(EvidenceRejected):
        check(out.getvalue())


def test_size_is_capped():
    with pytest.raises(EvidenceRejected, match="20 MB"):
        check(b"a" * (evidence.MAX_BYTES + 1))
    with pytest.raises(EvidenceRejected, match="empty"):
        check(b"")


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=4096))
def test_arbitrary_bytes_are_accepted_or_refused_never_crash(data):
    try:
        result = check(data)
    except EvidenceRejected:
        return
    assert result.extension in evidence.ALLOWED.values()
    assert len(result.sha256) == 64


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(name=st.text(min_size=1, max_size=120))
def test_any_filename_is_kept_only_encrypted_and_never_becomes_a_path(people, settings_dir, name):
    """Hypothesis: whatever a reporter's file is called (../../, NUL, RTL marks, 120 chars),
    it is stored under a generated name inside the blob directory and read back intact."""
    from amparo.intake.services import stash_upload

    checked = check(b"plain text evidence")
    _token, item = stash_upload(people.org, checked, name)
    for blob in (item.original_blob, item.clean_blob):
        assert blob.isalnum() and len(blob) == 32
        path = settings_dir / blob[:2] / blob
        assert path.exists() and os.path.realpath(path).startswith(str(settings_dir))
    from amparo.intake.models import Evidence

    assert Evidence.objects.get(pk=item.pk).filename == name[:255]


@pytest.fixture
def settings_dir():
    from pathlib import Path

    from django.conf import settings as django_settings

    return Path(django_settings.AMPARO_BLOB_DIR).resolve()
