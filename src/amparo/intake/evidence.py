"""Evidence files: checked by content, never trusted by name.

* The type is sniffed from the bytes (puremagic); the extension we keep comes from that type,
  and the user's filename is kept only encrypted, for display. Filenames never become paths.
* Size-capped; archives are refused, except office documents (which are zip containers) after
  their entries have been checked against limits (count, total size, compression ratio, paths).
* SHA-256 of the bytes as received is the receipt shown to the reporter.
* A second, "clean" copy without metadata (EXIF/GPS for images, document info and XMP for PDFs,
  docProps for office documents) is what staff view and share; the original stays encrypted
  for legal use.
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from dataclasses import dataclass

import puremagic
from django.utils.translation import gettext as _
from PIL import Image, ImageOps

MAX_BYTES = 20 * 1024 * 1024
MAX_FILES_PER_REPORT = 10
MAX_IMAGE_PIXELS = 60_000_000
ZIP_MAX_ENTRIES = 2_000
ZIP_MAX_TOTAL = 100 * 1024 * 1024
ZIP_MAX_RATIO = 100

Image.MAX_IMAGE_PIXELS = MAX_IMAGE_PIXELS

# Sniffed MIME type -> the extension we store it under.
ALLOWED: dict[str, str] = {
    "image/jpeg": "jpg",
    "image/png": "png",
    "image/gif": "gif",
    "image/webp": "webp",
    "application/pdf": "pdf",
    "text/plain": "txt",
    "video/mp4": "mp4",
    "video/quicktime": "mov",
    "video/webm": "webm",
    "audio/mpeg": "mp3",
    "audio/ogg": "ogg",
    "audio/mp4": "m4a",
    "audio/x-m4a": "m4a",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
    "application/vnd.oasis.opendocument.text": "odt",
}
OFFICE = {"docx", "xlsx", "odt"}


class EvidenceRejected(ValueError):
    """The file cannot be accepted; the message is safe to show to the reporter."""


@dataclass
class Checked:
    data: bytes
    clean: bytes
    sha256: str
    content_type: str
    extension: str
    metadata_removed: bool


def sniff(data: bytes) -> str | None:
    """The MIME type of ``data`` judged by its content, or None."""
    head = data[:8192]
    if not head:
        return None
    try:
        matches = puremagic.magic_string(head)
    except (puremagic.PureError, ValueError):
        matches = []
    for match in matches:
        mime = (match.mime_type or "").lower()
        if mime == "application/zip" or match.extension in (".docx", ".xlsx", ".odt", ".zip"):
            return _office_type(data)
        if mime in ALLOWED:
            return mime
        if match.extension in (".m4a",) or mime == "audio/m4a":
            return "audio/mp4"
    if _looks_like_text(head):
        return "text/plain"
    return matches[0].mime_type.lower() if matches and matches[0].mime_type else None


def _looks_like_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        # A multi-byte character cut at the end of the sample is still text.
        return exc.start >= len(head) - 3
    return True


def _office_type(data: bytes) -> str:
    names = _safe_zip_names(data)
    if "[Content_Types].xml" in names:
        if any(n.startswith("word/") for n in names):
            return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        if any(n.startswith("xl/") for n in names):
            return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    if "mimetype" in names:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if archive.read("mimetype").strip() == b"application/vnd.oasis.opendocument.text":
                return "application/vnd.oasis.opendocument.text"
    return "application/zip"


def _safe_zip_names(data: bytes) -> list[str]:
    """Entry names of a zip after checking it cannot hurt us when opened (zip-bomb limits)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise EvidenceRejected(_("This file looks damaged and cannot be accepted.")) from None
    with archive:
        infos = archive.infolist()
        if len(infos) > ZIP_MAX_ENTRIES:
            raise EvidenceRejected(_("This document contains too many parts to be checked safely."))
        total = 0
        for info in infos:
            name = info.filename
            if name.startswith(("/", "\\")) or ".." in name.replace("\\", "/").split("/"):
                raise EvidenceRejected(_("This document contains unsafe paths."))
            total += info.file_size
            if total > ZIP_MAX_TOTAL:
                raise EvidenceRejected(_("This document expands to more than we can check safely."))
            if info.compress_size and info.file_size / info.compress_size > ZIP_MAX_RATIO:
                raise EvidenceRejected(
                    _("This document is compressed suspiciously and was refused.")
                )
        return [info.filename for info in infos]


def check(data: bytes) -> Checked:
    if not data:
        raise EvidenceRejected(_("The file is empty."))
    if len(data) > MAX_BYTES:
        raise EvidenceRejected(
            _("The file is larger than 20 MB. Please send a smaller file or several parts.")
        )
    mime = sniff(data)
    if mime == "application/zip":
        raise EvidenceRejected(
            _("Archives (zip files) are not accepted. Please send the files inside one by one.")
        )
    if mime not in ALLOWED:
        raise EvidenceRejected(
            _(
                "This kind of file is not accepted. Please send pictures, PDF, text, audio, video or office documents."
            )
        )
    extension = ALLOWED[mime]
    clean, removed = _clean_copy(data, extension)
    return Checked(
        data=data,
        clean=clean,
        sha256=hashlib.sha256(data).hexdigest(),
        content_type=mime,
        extension=extension,
        metadata_removed=removed,
    )


def _clean_copy(data: bytes, extension: str) -> tuple[bytes, bool]:
    """A copy without identifying metadata, and whether metadata removal was possible."""
    if extension in {"jpg", "png", "gif", "webp"}:
        return _clean_image(data, extension), True
    if extension == "pdf":
        return _clean_pdf(data)
    if extension in OFFICE:
        return _clean_office(data), True
    if extension == "txt":
        return data, True
    return data, False  # audio and video: kept as they are, flagged for the caseworker


def _clean_image(data: bytes, extension: str) -> bytes:
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            if image.width * image.height > MAX_IMAGE_PIXELS:
                raise EvidenceRejected(_("This picture is too large to process."))
            oriented = ImageOps.exif_transpose(image)  # keep how it looked, drop the tags
            if oriented.mode not in ("RGB", "RGBA", "L", "LA"):
                oriented = oriented.convert("RGBA" if "transparency" in oriented.info else "RGB")
            # A new image from the pixels alone: no EXIF, GPS, XMP, comments or text chunks.
            pixels = Image.new(oriented.mode, oriented.size)
            pixels.paste(oriented)
            out = io.BytesIO()
            fmt = {"jpg": "JPEG", "png": "PNG", "gif": "GIF", "webp": "WEBP"}[extension]
            if fmt == "JPEG" and pixels.mode not in ("RGB", "L"):
                pixels = pixels.convert("RGB")
            pixels.save(out, format=fmt, **({"quality": 92} if fmt in ("JPEG", "WEBP") else {}))
            return out.getvalue()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise EvidenceRejected(_("This picture is too large to process.")) from None
    except EvidenceRejected:
        raise
    except Exception:
        raise EvidenceRejected(_("This picture looks damaged and cannot be accepted.")) from None


def _clean_pdf(data: bytes) -> tuple[bytes, bool]:
    from pypdf import PdfReader, PdfWriter

    try:
        reader = PdfReader(io.BytesIO(data))
        writer = PdfWriter()
        for page in reader.pages:
            writer.add_page(page)
        writer.add_metadata({"/Producer": "Amparo"})
        if "/Metadata" in writer._root_object:  # XMP
            del writer._root_object["/Metadata"]
        out = io.BytesIO()
        writer.write(out)
        return out.getvalue(), True
    except Exception:
        # An encrypted or unusual PDF: keep it, and say metadata could not be removed.
        return data, False


def _clean_office(data: bytes) -> bytes:
    _safe_zip_names(data)
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            if info.filename.startswith("docProps/") or info.filename == "meta.xml":
                continue
            target.writestr(info.filename, source.read(info.filename))
    return out.getvalue()
