"""Walking the published dump files: names, checksums and the CSV parts inside nested zips.

A dump is ``sor-<scope>-<YYYY-MM-DD>-<full|light>.zip``. Since 2024-04-08 it holds
``*.csv.zip`` members, each holding ``*.csv`` parts; older dumps hold ``*.csv`` directly. Both
are walked without unpacking anything to disk: an inner zip is read into memory (its compressed
size, about 100 MB for a million rows) and each CSV part is inflated in one call, which releases
the GIL so that several parts inflate in parallel threads.

Inflating and the CRC check use ISA-L (the ``isal`` package: Intel's hand-tuned deflate, 1.5x
zlib's inflate speed and 6x its CRC-32 on x86-64 here) when it is installed, else zlib; both give
the same bytes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import os
import re
import struct
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType


def _fast_zlib() -> ModuleType:
    try:
        from isal import isal_zlib
    except ImportError:  # pragma: no cover - isal has wheels for the platforms we support
        return zlib
    return isal_zlib


#: ``decompress`` and ``crc32`` with zlib's signatures, from ISA-L where available.
inflate = _fast_zlib()

DUMP_RE = re.compile(
    r"^sor-(?P<scope>[a-z0-9][a-z0-9._-]*?)-(?P<day>\d{4}-\d{2}-\d{2})-(?P<version>full|light)\.zip$"
)


class ArchiveError(Exception):
    """A dump file cannot be read as published."""


class ChecksumError(ArchiveError):
    """The ``.sha1`` beside a dump does not match it (or is missing when required)."""


@dataclass(frozen=True)
class DumpFile:
    path: Path
    scope: str  # "global" or a platform slug
    day: dt.date
    version: str  # "full" or "light"

    @property
    def name(self) -> str:
        return self.path.name.removesuffix(".zip")

    @property
    def key(self) -> str:
        """What two dumps with the same rows share (full and light of one scope and day)."""
        return f"{self.scope}-{self.day.isoformat()}"


def parse_dump_name(path: str | os.PathLike[str]) -> DumpFile:
    p = Path(path)
    m = DUMP_RE.match(p.name)
    if not m:
        raise ArchiveError(
            f"{p.name}: not a dump file name (expected sor-<scope>-YYYY-MM-DD-<full|light>.zip)"
        )
    return DumpFile(
        path=p,
        scope=m["scope"],
        day=dt.date.fromisoformat(m["day"]),
        version=m["version"],
    )


def find_dumps(paths: list[str | os.PathLike[str]]) -> list[DumpFile]:
    """Dump files named by ``paths`` (files, or folders searched one level deep), by day."""
    found: list[DumpFile] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            found += [parse_dump_name(c) for c in sorted(p.iterdir()) if DUMP_RE.match(c.name)]
        elif p.is_file():
            found.append(parse_dump_name(p))
        else:
            raise ArchiveError(f"{p}: no such file or folder")
    return sorted(found, key=lambda d: (d.day, d.scope, d.version))


def sha1_of(path: Path, chunk: int = 4 << 20) -> str:
    h = hashlib.sha1()  # noqa: S324 - the Commission publishes SHA-1 checksums
    with path.open("rb") as f:
        while block := f.read(chunk):
            h.update(block)
    return h.hexdigest()


def expected_checksum(dump: DumpFile, *, required: bool = True) -> str | None:
    """The SHA-1 the ``.sha1`` file beside the dump gives (lower case), or None without one.

    Raises :class:`ChecksumError` when the file is not a checksum file, or is missing and
    ``required``.
    """
    sidecar = dump.path.with_name(dump.path.name + ".sha1")
    if not sidecar.exists():
        if required:
            raise ChecksumError(f"{dump.path.name}: no {sidecar.name} beside it")
        return None
    expected = sidecar.read_text(encoding="ascii", errors="replace").split()
    if not expected or not re.fullmatch(r"[0-9a-fA-F]{40}", expected[0]):
        raise ChecksumError(f"{sidecar.name}: not a SHA-1 checksum file")
    return expected[0].lower()


def check_checksum(dump: DumpFile, expected: str) -> str:
    """Hash the dump and compare; return the digest or raise :class:`ChecksumError`."""
    actual = sha1_of(dump.path)
    if actual != expected:
        raise ChecksumError(
            f"{dump.path.name}: SHA-1 is {actual}, {dump.path.name}.sha1 says {expected}"
        )
    return actual


def verify_checksum(dump: DumpFile, *, required: bool = True) -> str | None:
    """Compare the dump with the ``.sha1`` file beside it; return the digest.

    Raises :class:`ChecksumError` on a mismatch, and on a missing ``.sha1`` when ``required``.
    """
    expected = expected_checksum(dump, required=required)
    return None if expected is None else check_checksum(dump, expected)


@dataclass(frozen=True)
class CsvPart:
    """One CSV member, ready to inflate: ``read()`` returns its bytes."""

    name: str
    compressed_size: int
    size: int
    _source: bytes | memoryview | None
    _offset: int
    _info: zipfile.ZipInfo
    _path: Path | None = None

    def read(self) -> bytes:
        info = self._info
        if self._source is None:
            assert self._path is not None
            with self._path.open("rb") as f:
                raw = _read_member_raw(f, info)
        else:
            raw = _member_raw_from_buffer(self._source, info)
        if info.compress_type == zipfile.ZIP_DEFLATED:
            data = inflate.decompress(raw, -15, max(info.file_size, 1))
        elif info.compress_type == zipfile.ZIP_STORED:
            data = bytes(raw)
        else:  # rare methods: let zipfile handle them
            src = io.BytesIO(self._source) if self._source is not None else self._path
            with zipfile.ZipFile(src) as z:  # type: ignore[arg-type]
                return z.read(info)
        if inflate.crc32(data) != info.CRC:
            raise ArchiveError(f"{self.name}: CRC mismatch (damaged archive)")
        return data


_LOCAL_HEADER = struct.Struct("<4s2B4HL2L2H")


def _data_offset(header: bytes, info: zipfile.ZipInfo) -> int:
    fields = _LOCAL_HEADER.unpack(header[: _LOCAL_HEADER.size])
    if fields[0] != b"PK\x03\x04":
        raise ArchiveError(f"{info.filename}: bad local file header")
    name_len, extra_len = fields[-2], fields[-1]
    return info.header_offset + _LOCAL_HEADER.size + name_len + extra_len


def _member_raw_from_buffer(buf: bytes | memoryview, info: zipfile.ZipInfo) -> memoryview:
    view = memoryview(buf)
    start = _data_offset(bytes(view[info.header_offset : info.header_offset + 30]), info)
    return view[start : start + info.compress_size]


def _read_member_raw(f, info: zipfile.ZipInfo) -> bytes:
    f.seek(info.header_offset)
    start = _data_offset(f.read(30), info)
    f.seek(start)
    return f.read(info.compress_size)


def iter_parts(dump: DumpFile) -> Iterator[CsvPart]:
    """Yield every CSV part of a dump, in name order, nested or not."""
    with zipfile.ZipFile(dump.path) as outer:
        members = sorted(outer.infolist(), key=lambda i: i.filename)
        for info in members:
            name = info.filename
            if name.endswith("/"):
                continue
            if name.endswith(".csv.zip") or name.endswith(".zip"):
                with dump.path.open("rb") as f:
                    inner_bytes = _read_member_raw(f, info)
                if info.compress_type == zipfile.ZIP_DEFLATED:
                    inner_bytes = inflate.decompress(inner_bytes, -15, max(info.file_size, 1))
                elif info.compress_type != zipfile.ZIP_STORED:
                    inner_bytes = outer.read(info)
                try:
                    inner = zipfile.ZipFile(io.BytesIO(inner_bytes))
                except zipfile.BadZipFile as exc:
                    raise ArchiveError(f"{name}: not a zip ({exc})") from exc
                with inner:
                    for part in sorted(inner.infolist(), key=lambda i: i.filename):
                        if part.filename.endswith(".csv"):
                            yield CsvPart(
                                name=f"{name}/{part.filename}",
                                compressed_size=part.compress_size,
                                size=part.file_size,
                                _source=inner_bytes,
                                _offset=part.header_offset,
                                _info=part,
                            )
            elif name.endswith(".csv"):
                yield CsvPart(
                    name=name,
                    compressed_size=info.compress_size,
                    size=info.file_size,
                    _source=None,
                    _offset=info.header_offset,
                    _info=info,
                    _path=dump.path,
                )


def uncompressed_size(dump: DumpFile) -> int:
    """Total bytes of CSV in the dump (from the zip directories; nothing is inflated)."""
    return sum(p.size for p in iter_parts(dump))
