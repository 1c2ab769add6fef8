"""Dossiers of collective actions that a regulator or court can verify.

``build(dossier, evidence, signing_key=..., key_id=..., signed_at=...)`` returns the bytes of a
ZIP holding ``dossier.json`` (canonical JSON, schema ``schema/dossier-1.0.json``), a PDF for
people, the evidence files, ``manifest.json`` (every file's SHA-256 and size) and
``manifest.sig`` (Ed25519 over the manifest's bytes). ``verify(zip_bytes, public_keys=...)``
checks all of it, the mandates' dates and scope included. Imports nothing from Django; the
format is described in docs/dossier-format.md.
"""

from __future__ import annotations

from .archive import DossierError, EvidenceItem, build, evidence_path, safe_name
from .pdf import render_pdf
from .schema import (
    REMEDIES,
    SCHEMA_VERSION,
    canonical_json,
    compute_figures,
    schema,
    schema_problems,
    utc_timestamp,
)
from .verify import NOT_PINNED, VerifyResult, verify

__all__ = [
    "NOT_PINNED",
    "REMEDIES",
    "SCHEMA_VERSION",
    "DossierError",
    "EvidenceItem",
    "VerifyResult",
    "build",
    "canonical_json",
    "compute_figures",
    "evidence_path",
    "render_pdf",
    "safe_name",
    "schema",
    "schema_problems",
    "utc_timestamp",
    "verify",
]
