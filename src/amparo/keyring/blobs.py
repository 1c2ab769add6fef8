"""Encrypted files on disk under generated names (evidence, attachments).

The name on disk is random and says nothing about the file; the user's filename, if kept at all,
lives in an encrypted field. The associated data binds organisation, owning row and purpose.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO

from django.conf import settings

from amparo.keyring import envelope
from amparo.keyring.services import unwrap


def _path(name: str) -> Path:
    if not name.isalnum() or len(name) != 32:
        raise ValueError("invalid blob name")
    return Path(settings.AMPARO_BLOB_DIR) / name[:2] / name


def blob_aad(organisation_id: Any, owner: str, owner_id: Any) -> bytes:
    return f"amparo:blob:{organisation_id}:{owner}:{owner_id}".encode()


def store(data_key: Any, source: BinaryIO, aad: bytes) -> tuple[str, int]:
    """Encrypt ``source`` to a new blob; returns its generated name and plaintext size."""
    name = secrets.token_hex(16)
    path = _path(name)
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    tmp = path.with_suffix(".part")
    with open(tmp, "wb") as sink:
        size = envelope.seal_stream(unwrap(data_key), source, sink, aad)
        sink.flush()
        os.fsync(sink.fileno())
    tmp.replace(path)
    return name, size


def read(data_key: Any, name: str, aad: bytes) -> Iterator[bytes]:
    with open(_path(name), "rb") as source:
        yield from envelope.open_stream(unwrap(data_key), source, aad)


def delete(name: str) -> None:
    _path(name).unlink(missing_ok=True)
