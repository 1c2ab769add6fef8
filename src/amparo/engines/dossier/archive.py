"""The dossier ZIP: its exact byte layout, the manifest, the signature, and :func:`build`.

The archive is written by hand rather than with :mod:`zipfile` so that its bytes are fixed by
this module alone (no compression library, no Python version in between): every entry is
stored uncompressed, in order of name, dated 1980-01-01 00:00, with no extra fields, comments
or permissions, and a name of ASCII letters, digits, ``.``, ``_``, ``-`` and ``/``. The verifier
writes the same entries again and compares the bytes, so a change to any header is found too.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import json
import re
import struct
import unicodedata
import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from .rules import figure_problems, mandate_problems
from .schema import (
    SCHEMA_VERSION,
    canonical_json,
    compute_figures,
    consistency_problems,
    schema_problems,
    utc_timestamp,
)

FORMAT = "amparo-dossier"
ALGORITHM = "Ed25519"
DOSSIER_JSON = "dossier.json"
DOSSIER_PDF = "dossier.pdf"
MANIFEST = "manifest.json"
SIGNATURE = "manifest.sig"
EVIDENCE_DIR = "evidence/"
#: Every name an entry may have.
SAFE_PATH = re.compile(
    r"^(dossier\.json|dossier\.pdf|manifest\.json|manifest\.sig|evidence/[A-Za-z0-9._-]+)$"
)

_DOS_DATE = (0 << 9) | (1 << 5) | 1  # 1980-01-01
_DOS_TIME = 0
_VERSION = 20  # ZIP 2.0, MS-DOS: the plainest entry any unzip reads
_LIMIT = 0xFFFFFFFF  # no ZIP64: a dossier is far below 4 GiB


class DossierError(ValueError):
    """The dossier cannot be built; ``problems`` says why, one line each."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = list(problems)
        super().__init__("the dossier is not valid: " + "; ".join(self.problems))


@dataclass(frozen=True)
class EvidenceItem:
    """One file that goes into ``evidence/``; its SHA-256 and size are computed here."""

    id: str
    name: str
    media_type: str
    data: bytes
    description: str = ""


def safe_name(text: str, *, limit: int = 80) -> str:
    """``text`` as a file name of ASCII letters, digits, ``.``, ``_`` and ``-``."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    cleaned = re.sub(r"[^A-Za-z0-9._-]+", "_", ascii_text).strip("._-")[:limit]
    return cleaned or "file"


def evidence_path(item_id: str, name: str) -> str:
    return f"{EVIDENCE_DIR}{safe_name(item_id, limit=64)}-{safe_name(name)}"


def write_zip(entries: Sequence[tuple[str, bytes]]) -> bytes:
    """The stored ZIP of ``entries`` (name, bytes), in the given order, byte for byte fixed."""
    local = bytearray()
    central = bytearray()
    for name, data in entries:
        encoded = name.encode("ascii")
        if len(data) > _LIMIT or len(local) > _LIMIT:
            raise DossierError([f"{name}: too large for a dossier (4 GiB at most)"])
        crc = zlib.crc32(data) & 0xFFFFFFFF
        fields = (_VERSION, 0, 0, _DOS_TIME, _DOS_DATE, crc, len(data), len(data), len(encoded))
        central += struct.pack("<IH", 0x02014B50, _VERSION)
        central += struct.pack("<HHHHHIIIH", *fields) + struct.pack(
            "<HHHHII", 0, 0, 0, 0, 0, len(local)
        )
        central += encoded
        local += struct.pack("<I", 0x04034B50) + struct.pack("<HHHHHIIIH", *fields)
        local += struct.pack("<H", 0) + encoded + data
    end = struct.pack(
        "<IHHHHIIH", 0x06054B50, 0, 0, len(entries), len(entries), len(central), len(local), 0
    )
    return bytes(local + central + end)


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def public_key_b64(key: Ed25519PrivateKey) -> str:
    raw = key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    return base64.b64encode(raw).decode("ascii")


def _json_copy(dossier: Mapping[str, Any]) -> dict[str, Any]:
    try:
        copied: dict[str, Any] = json.loads(json.dumps(dossier, allow_nan=False))
    except (TypeError, ValueError) as exc:
        raise DossierError([f"$: not plain JSON data ({exc})"]) from None
    return copied


def _evidence_list(dossier: dict[str, Any], evidence: Sequence[EvidenceItem]) -> list[str]:
    """Replace ``dossier["evidence"]`` by the items' entries (hashes computed here)."""
    problems: list[str] = []
    listed = {e.get("id"): e for e in dossier.get("evidence") or [] if isinstance(e, dict)}
    supplied = {item.id for item in evidence}
    problems += [
        f"$.evidence: {ref!r} is listed but its file was not supplied"
        for ref in listed
        if ref not in supplied
    ]
    entries: list[dict[str, Any]] = []
    paths: set[str] = set()
    for item in evidence:
        path = evidence_path(item.id, item.name)
        if path in paths:
            problems.append(f"evidence {item.id!r}: the same id and name as another item")
        paths.add(path)
        description = item.description or str(listed.get(item.id, {}).get("description", ""))
        entries.append(
            {
                "id": item.id,
                "name": item.name,
                "media_type": item.media_type,
                "sha256": sha256_hex(item.data),
                "size": len(item.data),
                "description": description,
                "path": path,
            }
        )
    dossier["evidence"] = entries
    return problems


def dossier_problems(dossier: Any) -> list[str]:
    """Everything wrong with a dossier's content: the schema first, then the rules across
    fields, the mandates' dates and scope, and the figures."""
    problems = schema_problems(dossier)
    if problems:
        return problems
    return consistency_problems(dossier) + mandate_problems(dossier) + figure_problems(dossier)


def build(
    dossier: Mapping[str, Any],
    evidence: Sequence[EvidenceItem],
    *,
    signing_key: Ed25519PrivateKey,
    key_id: str,
    signed_at: datetime,
    pdf: bytes | None = None,
) -> bytes:
    """The signed dossier ZIP of ``dossier`` and its ``evidence`` files.

    The evidence list of ``dossier`` is rebuilt from the items (an entry listed without its
    file is an error); ``figures`` are computed when absent. Raises :class:`DossierError` with
    every problem when the dossier breaks the schema or a mandate rule (a member without a
    mandate, a filing outside the mandate's dates or scope, a name not allowed by it). The same
    arguments give the same bytes; only ``manifest.json`` and ``manifest.sig`` depend on
    ``signed_at``.
    """
    signed = utc_timestamp(signed_at)
    content = _json_copy(dossier)
    problems = _evidence_list(content, evidence)
    if "figures" not in content and isinstance(content.get("members"), list):
        # When the members are malformed, the schema check below names what is wrong.
        with contextlib.suppress(KeyError, TypeError, ValueError):
            content["figures"] = compute_figures(content["members"])
    if not key_id or not isinstance(key_id, str):
        problems.append("key_id: give the signing key's id")
    problems += dossier_problems(content)
    if problems:
        raise DossierError(problems)
    if pdf is None:
        from .pdf import render_pdf

        pdf = render_pdf(content)
    files: dict[str, bytes] = {DOSSIER_JSON: canonical_json(content), DOSSIER_PDF: pdf}
    by_id = {item.id: item for item in evidence}
    for entry in content["evidence"]:
        files[entry["path"]] = by_id[entry["id"]].data
    manifest = {
        "format": FORMAT,
        "schema_version": SCHEMA_VERSION,
        "algorithm": ALGORITHM,
        "key_id": key_id,
        "public_key": public_key_b64(signing_key),
        "signed_at": signed,
        "files": [
            {"path": path, "sha256": sha256_hex(data), "size": len(data)}
            for path, data in sorted(files.items())
        ],
    }
    manifest_bytes = canonical_json(manifest)
    signature = base64.b64encode(signing_key.sign(manifest_bytes)) + b"\n"
    files[MANIFEST] = manifest_bytes
    files[SIGNATURE] = signature
    return write_zip(sorted(files.items()))
