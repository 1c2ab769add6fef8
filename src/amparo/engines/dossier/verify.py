"""Checking a dossier ZIP: structure, signature, every hash, the schema and the mandates.

Each check adds plain-language lines to ``problems``; a dossier is ``ok`` only with none. The
checks go on after a problem wherever they still can, so one run lists everything wrong.
"""

from __future__ import annotations

import base64
import binascii
import io
import json
import zipfile
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from .archive import (
    ALGORITHM,
    DOSSIER_JSON,
    EVIDENCE_DIR,
    FORMAT,
    MANIFEST,
    SAFE_PATH,
    SIGNATURE,
    dossier_problems,
    sha256_hex,
    write_zip,
)
from .schema import SCHEMA_VERSION, parse_timestamp, utc_timestamp

NOT_PINNED = (
    "the signature was checked against the public key written inside the dossier, which is "
    "not pinned: anyone could re-sign an altered dossier with a key of their own; check it "
    "against the organisation's published signing keys (--keys)"
)


@dataclass
class VerifyResult:
    ok: bool
    problems: list[str]
    key_id: str = ""
    signed_at: str = ""
    members: int = 0
    #: True when the signature was checked against a key the caller gave (``public_keys``).
    key_pinned: bool = False
    #: Things to know that do not make the dossier fail (e.g. :data:`NOT_PINNED`).
    warnings: list[str] = field(default_factory=list)


def _read_entries(zip_bytes: bytes, problems: list[str]) -> dict[str, bytes] | None:
    # A hostile or damaged ZIP makes zipfile raise more kinds of exception than it documents
    # (RuntimeError for an "encrypted" flag, UnicodeDecodeError, EOFError...): each one is a
    # problem to report, never a crash of the verifier.
    try:
        archive = zipfile.ZipFile(io.BytesIO(zip_bytes))
    except Exception as exc:
        problems.append(f"not a readable ZIP file ({exc})")
        return None
    entries: dict[str, bytes] = {}
    with archive:
        infos = archive.infolist()
        for name, count in sorted(Counter(i.filename for i in infos).items()):
            if count > 1:
                problems.append(f"{name}: appears {count} times in the ZIP")
        for info in infos:
            name = info.filename
            if not SAFE_PATH.match(name):
                danger = ".." in name or name.startswith(("/", "\\")) or ":" in name
                kind = "path traversal" if danger else "a name a dossier never has"
                problems.append(f"{name!r}: unsafe or unexpected path in the ZIP ({kind})")
                continue
            if info.compress_type != zipfile.ZIP_STORED or info.file_size > len(zip_bytes):
                # Never inflate what a dossier does not contain: no ZIP bomb gets expanded.
                problems.append(f"{name}: compressed, but a dossier stores its files as they are")
                continue
            try:
                entries[name] = archive.read(info)
            except Exception as exc:
                problems.append(f"{name}: damaged ZIP entry, the file was changed ({exc})")
    if not problems and write_zip(sorted(entries.items())) != zip_bytes:
        problems.append(
            "the ZIP's structure differs from what Amparo writes (a header, the order of the "
            "files or bytes outside them were changed)"
        )
    return entries


def _load_manifest(entries: dict[str, bytes], problems: list[str]) -> dict[str, Any] | None:
    if MANIFEST not in entries:
        problems.append(f"{MANIFEST} is missing")
        return None
    try:
        manifest = json.loads(entries[MANIFEST].decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        problems.append(f"{MANIFEST} is not JSON ({exc})")
        return None
    needed = {"format", "schema_version", "algorithm", "key_id", "public_key", "signed_at"}
    if (
        not isinstance(manifest, dict)
        or not needed <= set(manifest)
        or not isinstance(manifest.get("files"), list)
        or not all(isinstance(manifest[k], str) for k in needed)
    ):
        problems.append(f"{MANIFEST} does not have the fields of a dossier manifest")
        return None
    if manifest["format"] != FORMAT or manifest["algorithm"] != ALGORITHM:
        problems.append(f"{MANIFEST}: not an {FORMAT} signed with {ALGORITHM}")
    if manifest["schema_version"] != SCHEMA_VERSION:
        problems.append(
            f"{MANIFEST}: schema version {manifest['schema_version']!r} is not supported "
            f"(this verifier reads {SCHEMA_VERSION})"
        )
    return manifest


def _check_signature(
    entries: dict[str, bytes],
    manifest: dict[str, Any],
    public_keys: Mapping[str, Ed25519PublicKey] | None,
    result: VerifyResult,
) -> None:
    problems = result.problems
    raw_sig = entries.get(SIGNATURE)
    if raw_sig is None:
        problems.append(f"{SIGNATURE} is missing: the dossier is not signed")
        return
    try:
        signature = base64.b64decode(raw_sig.removesuffix(b"\n"), validate=True)
    except (binascii.Error, ValueError):
        signature = b""
    if len(signature) != 64 or base64.b64encode(signature) + b"\n" != raw_sig:
        problems.append(f"{SIGNATURE} is not one base64 Ed25519 signature")
        return
    try:
        embedded = Ed25519PublicKey.from_public_bytes(
            base64.b64decode(manifest["public_key"], validate=True)
        )
    except (binascii.Error, ValueError):
        embedded = None
        problems.append(f"{MANIFEST}: public_key is not a base64 Ed25519 public key")
    key: Ed25519PublicKey | None
    if public_keys is not None:
        key = public_keys.get(result.key_id)
        if key is None:
            problems.append(
                f"signed with key {result.key_id!r}, which is not among the keys given "
                f"({', '.join(sorted(public_keys)) or 'none'})"
            )
            return
        result.key_pinned = True
        if embedded is not None and _raw(embedded) != _raw(key):
            problems.append(f"{MANIFEST}: public_key differs from the given key {result.key_id!r}")
    else:
        key = embedded
        result.warnings.append(NOT_PINNED)
    if key is None:
        return
    try:
        key.verify(signature, entries[MANIFEST])
    except InvalidSignature:
        who = "the given key" if result.key_pinned else "the key in the manifest"
        problems.append(f"the signature of {MANIFEST} does not match {who} {result.key_id!r}")


def _raw(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(Encoding.Raw, PublicFormat.Raw)


def _check_files(entries: dict[str, bytes], manifest: dict[str, Any], problems: list[str]) -> None:
    listed: dict[str, dict[str, Any]] = {}
    for item in manifest["files"]:
        if not isinstance(item, dict) or not isinstance(item.get("path"), str):
            problems.append(f"{MANIFEST}: a file entry without a path")
            continue
        if item["path"] in listed or item["path"] in (MANIFEST, SIGNATURE):
            problems.append(f"{MANIFEST}: {item['path']} is listed wrongly or twice")
        listed[item["path"]] = item
    for name in sorted(set(entries) - set(listed) - {MANIFEST, SIGNATURE}):
        problems.append(f"{name}: in the ZIP but not in the manifest")
    for path, item in sorted(listed.items()):
        data = entries.get(path)
        if data is None:
            problems.append(f"{path}: listed in the manifest but missing from the ZIP")
            continue
        if item.get("size") != len(data):
            problems.append(f"{path}: {len(data)} bytes, the manifest says {item.get('size')}")
        if item.get("sha256") != sha256_hex(data):
            problems.append(f"{path}: SHA-256 does not match the manifest (the file was changed)")


def _check_dossier(entries: dict[str, bytes], result: VerifyResult) -> None:
    problems = result.problems
    if DOSSIER_JSON not in entries:
        problems.append(f"{DOSSIER_JSON} is missing")
        return
    try:
        dossier = json.loads(entries[DOSSIER_JSON].decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        problems.append(f"{DOSSIER_JSON} is not JSON ({exc})")
        return
    if isinstance(dossier, dict) and isinstance(dossier.get("members"), list):
        result.members = len(dossier["members"])
    found = dossier_problems(dossier)
    problems += [f"{DOSSIER_JSON}: {line}" for line in found]
    if found:
        return
    listed = {entry["path"]: entry for entry in dossier["evidence"] if "path" in entry}
    for entry in dossier["evidence"]:
        path = entry.get("path")
        data = entries.get(path) if path else None
        if data is None:
            problems.append(f"evidence {entry['id']!r}: its file is not in the ZIP")
            continue
        if sha256_hex(data) != entry["sha256"] or len(data) != entry["size"]:
            problems.append(
                f"evidence {entry['id']!r}: {path} does not match its SHA-256 or size in "
                f"{DOSSIER_JSON}"
            )
    for name in sorted(n for n in entries if n.startswith(EVIDENCE_DIR) and n not in listed):
        problems.append(f"{name}: not in {DOSSIER_JSON}'s evidence list")


def _check_retirement(
    result: VerifyResult, retired_at: Mapping[str, datetime | None] | None
) -> None:
    retired = (retired_at or {}).get(result.key_id)
    if retired is None:
        return
    try:
        signed = parse_timestamp(result.signed_at)
    except ValueError:
        result.problems.append(f"{MANIFEST}: signed_at {result.signed_at!r} is not a time")
        return
    if signed > retired:
        # A retired key's private part is destroyed: a later signature means it leaked.
        result.problems.append(
            f"signed at {result.signed_at}, after key {result.key_id!r} was retired "
            f"({utc_timestamp(retired)})"
        )


def verify(
    zip_bytes: bytes,
    *,
    public_keys: Mapping[str, Ed25519PublicKey] | None = None,
    retired_at: Mapping[str, datetime | None] | None = None,
) -> VerifyResult:
    """Check a dossier ZIP made by :func:`build`. With ``public_keys`` (key id to public key,
    e.g. from the organisation's published ``signing-keys.json``) the signature must be made
    by one of them; without, it is checked against the key in the manifest and the result
    says the key was not pinned. ``retired_at`` (key id to when it was retired, from the same
    list) makes a signature dated after its key's retirement a problem."""
    result = VerifyResult(ok=False, problems=[])
    entries = _read_entries(zip_bytes, result.problems)
    if entries is None:
        return result
    manifest = _load_manifest(entries, result.problems)
    if manifest is not None:
        result.key_id = manifest["key_id"]
        result.signed_at = manifest["signed_at"]
        _check_signature(entries, manifest, public_keys, result)
        _check_retirement(result, retired_at)
        _check_files(entries, manifest, result.problems)
    elif SIGNATURE not in entries:
        result.problems.append(f"{SIGNATURE} is missing: the dossier is not signed")
    _check_dossier(entries, result)
    result.ok = not result.problems
    return result
