"""Walking the published dump files: names, checksums and the CSV parts inside nested zips.

A dump is ``sor-<scope>-<YYYY-MM-DD>-<full|light>.zip``. Since 2024-04-08 it holds
``*.csv.zip`` members, each holding ``*.csv`` parts; older dumps hold ``*.csv`` directly. Both
are walked without unpacking anything to disk: an inner zip is read into memory (its compressed
size, about 100 MB for a million rows) and each CSV part is inflated in one call, which releases
the GIL so that several parts inflate in parallel threads.

Ingest does not inflate a part into one buffer: :meth:`CsvPart.open` gives a stream that
inflates a few MB at a time as the CSV reader asks for them, so the same few buffers are reused
instead of a fresh 100 MB one per part (whose pages the kernel must fault in and zero: that
was a fifth of the ingest's system time), and the CRC and size are checked when the stream ends.

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


class _ZlibInflater:
    """zlib's raw-deflate decompressor with the interface of ISA-L's ``IgzipDecompressor``
    (``decompress(data, max_length)``, ``needs_input``, ``eof``)."""

    def __init__(self) -> None:
        self._d = zlib.decompressobj(-15)
        self._tail = b""

    @property
    def eof(self) -> bool:
        return self._d.eof

    @property
    def needs_input(self) -> bool:
        return not self._tail

    def decompress(self, data: bytes | memoryview, max_length: int) -> bytes:
        out = self._d.decompress(self._tail + bytes(data) if self._tail else data, max_length)
        self._tail = self._d.unconsumed_tail
        return out


def _raw_inflater() -> _ZlibInflater:
    """A streaming raw-deflate decompressor: ISA-L's when :data:`inflate` is ISA-L's."""
    if inflate is not zlib:
        try:
            from isal import igzip_lib
        except ImportError:  # pragma: no cover
            pass
        else:
            raw_deflate = igzip_lib.DECOMP_DEFLATE
            return igzip_lib.IgzipDecompressor(flag=raw_deflate)  # type: ignore[return-value]
    return _ZlibInflater()


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
    """Dump files named by ``paths`` (files, or folders searched one level deep), by day.

    Raises :class:`ArchiveError` for a path that does not exist, a file whose name is not a
    dump's, and a folder without any dump.
    """
    found: list[DumpFile] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            inside = [parse_dump_name(c) for c in sorted(p.iterdir()) if DUMP_RE.match(c.name)]
            if not inside:
                raise ArchiveError(
                    f"{p}: no dump file in this folder (sor-<scope>-YYYY-MM-DD-<full|light>.zip)"
                )
            found += inside
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


class MemberStream(io.RawIOBase):
    """A deflated zip member, inflated a chunk at a time as it is read.

    ``peek()`` returns the first chunk without consuming it (for the CSV header). When the
    deflate stream ends, the CRC-32 and size are checked against the zip directory; a damaged
    or truncated member raises :class:`ArchiveError` from ``read``.
    """

    CHUNK = 8 << 20  # bytes of CSV handed out per read (the CSV reader's block size)
    FEED = 1 << 20  # bytes of deflate data given to the inflater at a time

    def __init__(self, name: str, raw: bytes | memoryview, info: zipfile.ZipInfo) -> None:
        super().__init__()
        self.name, self._info = name, info
        self._raw = memoryview(raw)
        self._pos = 0
        self._inflater = _raw_inflater()
        self._pending = b""
        self._crc = 0
        self.size = 0  # bytes inflated so far

    def readable(self) -> bool:
        return True

    def peek(self, size: int = 0) -> bytes:
        if not self._pending:
            self._pending = self._inflate(self.CHUNK)
        return self._pending

    def read(self, size: int | None = -1) -> bytes:
        n = self.CHUNK if size is None or size < 0 else size
        if self._pending:
            out, self._pending = self._pending[:n], self._pending[n:]
            return out
        return self._inflate(n)

    def _inflate(self, n: int) -> bytes:
        d = self._inflater
        while not d.eof:
            feed: bytes | memoryview = b""
            if d.needs_input and self._pos < len(self._raw):
                feed = self._raw[self._pos : self._pos + self.FEED]
                self._pos += len(feed)
            try:
                chunk = d.decompress(feed, n)
            except Exception as exc:  # zlib.error, isal's IsalError
                raise ArchiveError(f"{self.name}: damaged archive ({exc})") from exc
            if chunk:
                self._crc = inflate.crc32(chunk, self._crc)
                self.size += len(chunk)
                return chunk
            if not feed and self._pos >= len(self._raw) and not d.eof:
                raise ArchiveError(f"{self.name}: truncated archive member")
        if self._crc != self._info.CRC or self.size != self._info.file_size:
            raise ArchiveError(f"{self.name}: CRC mismatch (damaged archive)")
        return b""


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

    def open(self) -> MemberStream | io.BufferedReader:
        """The part's CSV as a stream (see :class:`MemberStream`), checked as it ends."""
        info = self._info
        if info.compress_type == zipfile.ZIP_DEFLATED:
            return MemberStream(self.name, self._raw(), info)
        return io.BufferedReader(io.BytesIO(self.read()))

    def _raw(self) -> bytes | memoryview:
        if self._source is None:
            assert self._path is not None
            with self._path.open("rb") as f:
                return _read_member_raw(f, self._info)
        return _member_raw_from_buffer(self._source, self._info)

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
