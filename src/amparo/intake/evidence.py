"""Evidence files: checked by content, never trusted by name.

* The type is sniffed from the bytes (puremagic); the extension we keep comes from that type,
  and the user's filename is kept only encrypted, for display. Filenames never become paths.
* Size-capped; archives are refused, except office documents (which are zip containers) after
  their entries have been checked against limits (count, total size, compression ratio, paths).
* A file that cannot be checked or cleaned (damaged, password-protected, packed in an unusual
  way, a decompression bomb) is refused with a reason the reporter can read; only that file is
  set aside, never the report, and nothing of it is kept.
* Pictures: the size is read from the header before any pixel is decoded; at most
  ``MAX_IMAGE_PIXELS`` per picture, ``MAX_ANIMATION_PIXELS`` over all frames of an animation
  (only the first frame is decoded) and ``MAX_PIXELS_PER_REPORT`` for all the pictures sent
  together (see :class:`PixelBudget`). PNG text and colour-profile chunks are capped too.
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
from PIL import Image, ImageOps, PngImagePlugin

MAX_BYTES = 20 * 1024 * 1024
MAX_FILES_PER_REPORT = 10
# Pictures, judged from the header before decoding. 50 megapixels admits a 48/50 MP phone
# photo (8160 x 6120); decoding one takes at most 4 bytes a pixel, and cleaning it at most
# twice that (about 400 MB) for the moment it takes.
MAX_IMAGE_PIXELS = 50_000_000
MAX_ANIMATION_FRAMES = 1_000
MAX_ANIMATION_PIXELS = 500_000_000  # over all frames; only the first is decoded
MAX_PIXELS_PER_REPORT = 150_000_000  # all the pictures sent at once (one form, one upload)
ZIP_MAX_ENTRIES = 2_000
ZIP_MAX_TOTAL = 100 * 1024 * 1024
ZIP_MAX_RATIO = 100
ZIP_METHODS = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)  # what office suites write

# Pillow refuses (DecompressionBombError) above twice this, before decoding; we refuse above it.
Image.MAX_IMAGE_PIXELS = MAX_IMAGE_PIXELS
# PNG text and ICC chunks are decompressed when the header is read: 1 MB each, 8 MB in all.
PngImagePlugin.MAX_TEXT_CHUNK = 1024 * 1024
PngImagePlugin.MAX_TEXT_MEMORY = 8 * 1024 * 1024
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_OOXML = "EncryptedPackage".encode("utf-16-le")

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


class PixelBudget:
    """The pixels still allowed for the pictures sent together (one form or one upload), so
    that ten large pictures cannot keep a worker busy for long."""

    def __init__(self, pixels: int | None = None) -> None:
        self.left = MAX_PIXELS_PER_REPORT if pixels is None else pixels

    def take(self, pixels: int) -> None:
        if pixels > self.left:
            raise EvidenceRejected(
                _(
                    "This report already has as many large pictures as we can check at once. "
                    "Please add this one later on the follow-up page."
                )
            )
        self.left -= pixels


def _damaged() -> EvidenceRejected:
    return EvidenceRejected(_("This file looks damaged and cannot be accepted."))


def _password_protected() -> EvidenceRejected:
    return EvidenceRejected(
        _(
            "This document is protected with a password, so we cannot check it. "
            "Please send it again without the password."
        )
    )


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
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                kind = archive.read("mimetype").strip()
        except Exception:  # a bad CRC, a broken stream: not something we can check
            raise _damaged() from None
        if kind == b"application/vnd.oasis.opendocument.text":
            return "application/vnd.oasis.opendocument.text"
    return "application/zip"


def _safe_zip_names(data: bytes) -> list[str]:
    """Entry names of a zip after checking it cannot hurt us when opened (zip-bomb limits)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise _damaged() from None
    with archive:
        infos = archive.infolist()
        if len(infos) > ZIP_MAX_ENTRIES:
            raise EvidenceRejected(_("This document contains too many parts to be checked safely."))
        total = 0
        for info in infos:
            name = info.filename
            if name.startswith(("/", "\\")) or ".." in name.replace("\\", "/").split("/"):
                raise EvidenceRejected(_("This document contains unsafe paths."))
            if info.flag_bits & 0x1:
                raise _password_protected()
            if info.compress_type not in ZIP_METHODS:
                raise EvidenceRejected(
                    _("This document is packed in an unusual way that we cannot check safely.")
                )
            total += info.file_size
            if total > ZIP_MAX_TOTAL:
                raise EvidenceRejected(_("This document expands to more than we can check safely."))
            if info.compress_size and info.file_size / info.compress_size > ZIP_MAX_RATIO:
                raise EvidenceRejected(
                    _("This document is compressed suspiciously and was refused.")
                )
        return [info.filename for info in infos]


def check(data: bytes, budget: PixelBudget | None = None) -> Checked:
    """Check one file and make its clean copy. Raises EvidenceRejected, with a reason for the
    reporter, for any file that cannot be accepted, checked or cleaned, whatever is wrong
    with it. ``budget`` is shared by the files sent together (see :class:`PixelBudget`)."""
    if not data:
        raise EvidenceRejected(_("The file is empty."))
    if len(data) > MAX_BYTES:
        raise EvidenceRejected(
            _("The file is larger than 20 MB. Please send a smaller file or several parts.")
        )
    if data.startswith(_OLE_MAGIC) and _ENCRYPTED_OOXML in data:
        raise _password_protected()  # an encrypted Word or Excel file is an OLE container
    try:
        mime = sniff(data)
    except EvidenceRejected:
        raise
    except Exception:
        raise _damaged() from None
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
    try:
        clean, removed = _clean_copy(data, extension, budget or PixelBudget())
    except EvidenceRejected:
        raise
    except Exception:  # whatever a damaged file makes a parser raise: set it aside
        raise _damaged() from None
    return Checked(
        data=data,
        clean=clean,
        sha256=hashlib.sha256(data).hexdigest(),
        content_type=mime,
        extension=extension,
        metadata_removed=removed,
    )


def _clean_copy(data: bytes, extension: str, budget: PixelBudget) -> tuple[bytes, bool]:
    """A copy without identifying metadata, and whether metadata removal was possible."""
    if extension in {"jpg", "png", "gif", "webp"}:
        return _clean_image(data, extension, budget), True
    if extension == "pdf":
        return _clean_pdf(data)
    if extension in OFFICE:
        return _clean_office(data), True
    if extension == "txt":
        return data, True
    return data, False  # audio and video: kept as they are, flagged for the caseworker


def _too_many_pixels() -> EvidenceRejected:
    return EvidenceRejected(
        _(
            "This picture has too many pixels to be checked safely (more than %(limit)s "
            "megapixels). Please send a smaller copy or a screenshot."
        )
        % {"limit": MAX_IMAGE_PIXELS // 1_000_000}
    )


def _check_dimensions(image: Image.Image, budget: PixelBudget) -> None:
    """Refuse a picture by what its header says, before any pixel is decoded."""
    pixels = image.width * image.height
    if pixels > MAX_IMAGE_PIXELS or image.width <= 0 or image.height <= 0:
        raise _too_many_pixels()
    frames = getattr(image, "n_frames", 1)  # headers only: no frame is decoded to count them
    if frames > MAX_ANIMATION_FRAMES or frames * pixels > MAX_ANIMATION_PIXELS:
        raise EvidenceRejected(_("This animated picture has too many frames to be checked safely."))
    budget.take(pixels)


def _clean_image(data: bytes, extension: str, budget: PixelBudget) -> bytes:
    try:
        with Image.open(io.BytesIO(data)) as image:  # lazy: reads the header only
            _check_dimensions(image, budget)
            image.load()  # the first frame only
            ImageOps.exif_transpose(image, in_place=True)  # keep how it looked
            pixels: Image.Image = image
            fmt = {"jpg": "JPEG", "png": "PNG", "gif": "GIF", "webp": "WEBP"}[extension]
            # A palette picture stays one in GIF and PNG (quantising it again costs memory).
            if pixels.mode not in ("RGB", "RGBA", "L", "LA") and not (
                pixels.mode == "P" and fmt in ("GIF", "PNG")
            ):
                pixels = pixels.convert("RGBA" if "transparency" in pixels.info else "RGB")
            if fmt == "JPEG" and pixels.mode not in ("RGB", "L"):
                pixels = pixels.convert("RGB")
            # The encoders take metadata from ``info`` (EXIF, XMP, ICC, comments, text chunks)
            # and from the arguments of save(): empty both, so only the pixels are written.
            transparency = pixels.info.get("transparency") if pixels.mode == "P" else None
            pixels.info = {} if transparency is None else {"transparency": transparency}
            out = io.BytesIO()
            pixels.save(out, format=fmt, **({"quality": 92} if fmt in ("JPEG", "WEBP") else {}))
            return out.getvalue()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _too_many_pixels() from None
    except EvidenceRejected:
        raise
    except ValueError as exc:
        if "MAX_TEXT" in str(exc):  # a PNG text or colour-profile chunk that expands too far
            raise EvidenceRejected(
                _("This picture carries too much hidden data to be checked safely.")
            ) from None
        raise EvidenceRejected(_("This picture looks damaged and cannot be accepted.")) from None
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
    try:
        with (
            zipfile.ZipFile(io.BytesIO(data)) as source,
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
        ):
            for info in source.infolist():
                if info.filename.startswith("docProps/") or info.filename == "meta.xml":
                    continue
                # Reads at most the declared size (checked above); a bad CRC raises.
                target.writestr(info.filename, source.read(info))
    except EvidenceRejected:
        raise
    except Exception:  # bad CRC, broken deflate stream, truncated entry, duplicate names ...
        raise _damaged() from None
    return out.getvalue()
