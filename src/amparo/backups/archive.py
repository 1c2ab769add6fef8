"""The backup file's outer parts: its format constants, age keys, and the files it carries.

Part of :mod:`amparo.backups.services` (which re-exports these names). A backup is a tar archive
encrypted with age (``pyrage``) to the operator's public key(s).
"""

from __future__ import annotations

import hashlib
import io
import tarfile
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, BinaryIO

FORMAT = "amparo-backup/1"
SQLITE_MEMBER = "database/amparo.sqlite3"
POSTGRES_MEMBER = "database/amparo.dump"
MANIFEST = "manifest.json"
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or restore cannot go on; the message says why, in one line."""


# --- age ------------------------------------------------------------------------------------


def parse_recipients(values: list[str]) -> list[Any]:
    """age public keys (``age1...``), given directly or one per line in recipients files."""
    import pyrage

    recipients = []
    for value in values:
        value = value.strip()
        if not value or value.startswith("#"):
            continue
        try:
            recipients.append(pyrage.x25519.Recipient.from_str(value))
        except Exception:
            raise BackupError(
                f"not an age public key: {value[:12]}... (expected age1...)"
            ) from None
    if not recipients:
        raise BackupError("no recipient: give --recipient age1... or --recipients-file FILE")
    return recipients


def read_identities(path: Path) -> list[Any]:
    """The age secret key(s) (``AGE-SECRET-KEY-1...``) in an identity file made by age-keygen."""
    import pyrage

    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise BackupError(f"cannot read the identity file {path}: {exc.strerror}") from None
    identities = []
    for line in lines:
        line = line.strip()
        if line.startswith("AGE-SECRET-KEY-"):
            try:
                identities.append(pyrage.x25519.Identity.from_str(line))
            except Exception:
                raise BackupError(f"{path} holds a malformed age secret key") from None
    if not identities:
        raise BackupError(f"{path} holds no age secret key (AGE-SECRET-KEY-1...)")
    return identities


# --- files ----------------------------------------------------------------------------------


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


class HashingReader(io.RawIOBase):
    def __init__(self, source: BinaryIO) -> None:
        self.source = source
        self.digest = hashlib.sha256()

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        data = self.source.read(size)
        self.digest.update(data)
        return data


def blob_files(blob_dir: Path) -> Iterator[tuple[str, Path]]:
    """``(xx/NAME, path)`` for every finished blob; ``.part`` files are being written."""
    if not blob_dir.is_dir():
        return
    for sub in sorted(blob_dir.iterdir()):
        if not sub.is_dir() or len(sub.name) != 2:
            continue
        for path in sorted(sub.iterdir()):
            if path.is_file() and path.name.isalnum() and len(path.name) == 32:
                yield f"{sub.name}/{path.name}", path


def add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mode = 0o600
    info.mtime = int(datetime.now(UTC).timestamp())
    tar.addfile(info, io.BytesIO(data))
