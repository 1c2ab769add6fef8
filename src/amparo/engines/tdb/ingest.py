"""Ingest published dump files into the partitioned Parquet store, incrementally.

Pipeline per dump: the main thread walks the nested zips and hands CSV parts to a pool of
threads; each thread parses its part with Arrow's CSV reader from a stream that inflates it a
few MB at a time (ISA-L releases the GIL), converts it (Arrow compute, also GIL-free), sorts it
by (day, platform) and counts its rollups by integer codes. The main thread sums the counts
(:class:`rollup.Accumulator`), buffers the slices per partition and writes row groups of
``row_group_rows`` to one Parquet file per partition and dump, flushing the largest buffer when
the buffers together exceed ``buffer_bytes``. Files are written under a temporary name and
renamed once the whole dump has been read, then the manifest entry is written: a dump either
is in the store completely or not at all.

What counts as "already ingested" is the (scope, day) pair: ``full`` and ``light`` dumps of a
day hold the same rows, so a ``light`` dump after a ``full`` one is skipped and a ``full`` one
after a ``light`` one replaces it; a per-platform dump of a day the global dump already covers
is skipped, and a global dump replaces the per-platform dumps of its day.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import os
import secrets
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from . import archive, dedup, parse, rollup, schema
from .store import Store, slugify

#: Columns with few distinct values: dictionary-encoded in Parquet (the others are not tried,
#: which saves the writer dictionaries of free text). Level 1 of zstd gives files as small as
#: the default level here, 30 % faster.
DICTIONARY_COLUMNS = [
    c
    for c in schema.STORE_SCHEMA.names
    if c
    not in {
        "uuid",
        "platform_uid",
        "decision_facts",
        "created_at",
        "content_id_ean",
        "decision_visibility_other",
        "category_specification_other",
        "content_type_other",
        "source_identity",
    }
]


#: The leaf columns of the list columns (country codes, keywords, ...): few distinct values,
#: so dictionary-encoded too (Parquet names them ``<column>.list.element``); 15 % smaller files.
LIST_ELEMENTS = [f"{c}.list.element" for c in schema.LIST_COLUMNS]

#: Columns with min/max statistics per row group: the ones a reader can skip row groups by
#: (time, the content id of the case look-up, dates). An enumerated column's min and max span
#: nearly all its values in every row group, so they would cost the writer and save no reads.
STATISTICS_COLUMNS = ["created_at", "platform_uid", "platform_name", *schema.DATE_COLUMNS]


@contextlib.contextmanager
def arrow_memory(decay_ms: int = -1) -> Iterator[None]:
    """Let Arrow allocate from jemalloc, keeping freed pages until the block ends.

    Every CSV part makes and frees a few hundred MB of Arrow buffers. The default allocator
    (mimalloc) hands freed pages back to the system at once, and jemalloc does so on a timer,
    so the next part faults them in again: measured here, a fifth to a third of the ingest's
    CPU time went to the kernel. Here jemalloc keeps them (``decay_ms`` -1: no purging; this
    applies to arenas made from now on, and the package sets the same for the arenas made when
    pyarrow loads, see ``amparo.engines.tdb``); at the end the pool hands every unused page
    back and the previous default pool is restored.
    """
    try:
        pool = pa.jemalloc_memory_pool()
    except NotImplementedError:  # pragma: no cover - an Arrow build without jemalloc
        yield
        return
    previous = pa.default_memory_pool()
    pa.jemalloc_set_decay_ms(decay_ms)
    pa.set_memory_pool(pool)
    try:
        yield
    finally:
        pa.set_memory_pool(previous)
        pool.release_unused()


@dataclass
class Progress:
    """Reported after each CSV part: bytes of the dump consumed and rows read so far."""

    dump: str
    part: str
    compressed_bytes: int
    rows: int
    total_compressed_bytes: int


@dataclass
class IngestReport:
    dump: str
    status: str  # "ingested", "skipped", "failed"
    message: str = ""
    rows_read: int = 0
    rows_written: int = 0
    quarantined: int = 0
    reasons: dict[str, int] = field(default_factory=dict)
    unknown_values: dict[str, dict[str, int]] = field(default_factory=dict)
    extra_columns: list[str] = field(default_factory=list)
    #: CSV parts per published shape (schema.CSV_SCHEMAS; "other", "empty" for no byte at all)
    csv_schemas: dict[str, int] = field(default_factory=dict)
    #: columns of the full 38 that the dump lacked (null in the store)
    missing_columns: list[str] = field(default_factory=list)
    parts: int = 0
    empty_parts: int = 0  # parts without a row (header only, or no byte)
    #: rows whose uuid came earlier in this dump, or is stored already for its day
    duplicates_in_dump: int = 0
    duplicates_in_store: int = 0
    duplicates_kept: bool = False  # True with keep_duplicates: counted, not removed
    csv_bytes: int = 0
    zip_bytes: int = 0
    seconds: float = 0.0
    files: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)

    @property
    def duplicates(self) -> int:
        return self.duplicates_in_dump + self.duplicates_in_store

    @property
    def duplicates_removed(self) -> int:
        return 0 if self.duplicates_kept else self.duplicates

    @property
    def rows_per_second(self) -> float:
        return self.rows_read / self.seconds if self.seconds else 0.0


@dataclass
class _Partition:
    path: Path
    writer: pq.ParquetWriter | None = None
    tables: list[pa.Table] = field(default_factory=list)
    rows: int = 0
    nbytes: int = 0


class _PartitionWriter:
    """Buffers slices per (day, platform) and writes them as row groups."""

    def __init__(
        self, store: Store, stem: str, row_group_rows: int, buffer_bytes: int, compression: str
    ) -> None:
        self.store, self.stem = store, stem
        self.row_group_rows, self.buffer_bytes = row_group_rows, buffer_bytes
        self.compression = compression
        self.parts: dict[tuple[str, str], _Partition] = {}
        self.buffered = 0
        self.rows_written = 0
        self.renamed: list[Path] = []  # files already under their final name

    def add(self, day: str, platform: str, table: pa.Table) -> None:
        """Write a big slice as a row group at once; copy and buffer a small one.

        A slice keeps its whole part's buffers alive, so small slices are copied before they
        are kept (else every part of a dump would stay in memory until the end).
        """
        key = (day, platform)
        part = self.parts.get(key)
        if part is None:
            directory = self.store.partition_dir(day, platform)
            directory.mkdir(parents=True, exist_ok=True)
            part = self.parts[key] = _Partition(path=directory / f"{self.stem}.parquet.tmp")
        if table.num_rows >= self.row_group_rows and not part.tables:
            part.tables.append(table)
            part.rows, part.nbytes = table.num_rows, 0
            self._flush(part)
            return
        table = _copy(table)
        part.tables.append(table)
        part.rows += table.num_rows
        part.nbytes += table.nbytes
        self.buffered += table.nbytes
        if part.rows >= self.row_group_rows:
            self._flush(part)
        while self.buffered > self.buffer_bytes:
            self._flush(max(self.parts.values(), key=lambda p: p.nbytes))

    def _flush(self, part: _Partition) -> None:
        rows, nbytes = self._write(part)
        self.rows_written += rows
        self.buffered -= nbytes

    def _write(self, part: _Partition) -> tuple[int, int]:
        """Write the partition's buffered slices as a row group; return (rows, bytes) freed."""
        if not part.tables:
            return 0, 0
        table = pa.concat_tables(part.tables)
        if part.writer is None:
            part.writer = pq.ParquetWriter(
                part.path,
                schema.STORE_SCHEMA,
                compression=self.compression,
                compression_level=1 if self.compression == "zstd" else None,
                use_dictionary=[*DICTIONARY_COLUMNS, *LIST_ELEMENTS],
                write_statistics=STATISTICS_COLUMNS,
            )
        part.writer.write_table(table, row_group_size=max(self.row_group_rows, table.num_rows))
        freed = (table.num_rows, part.nbytes)
        del table
        part.tables, part.rows, part.nbytes = [], 0, 0
        return freed

    def _finish(self, part: _Partition) -> tuple[int, Path | None]:
        rows, _ = self._write(part)
        if part.writer is None:
            return rows, None
        part.writer.close()
        part.writer = None
        target = part.path.with_name(part.path.name.removesuffix(".tmp"))
        part.path.replace(target)
        self.renamed.append(target)
        return rows, target

    def close(self, pool: Executor | None = None) -> list[Path]:
        """Flush everything and move the files to their final names.

        With a ``pool`` the partitions are finished in parallel (each has its own file and
        writer, and Parquet encoding releases the GIL), largest first.
        """
        parts = sorted(self.parts.values(), key=lambda p: p.rows, reverse=True)
        done = list(pool.map(self._finish, parts)) if pool else [self._finish(p) for p in parts]
        self.rows_written += sum(rows for rows, _ in done)
        self.buffered = 0
        return [target for _, target in done if target is not None]

    def abort(self) -> None:
        """Remove every file of this run, whether still temporary or already renamed."""
        for part in self.parts.values():
            if part.writer is not None:
                with contextlib.suppress(Exception):
                    part.writer.close()
            part.path.unlink(missing_ok=True)
        for path in self.renamed:
            path.unlink(missing_ok=True)


def _copy(table: pa.Table) -> pa.Table:
    """A copy of a (sliced) table that owns its buffers: ``concat_arrays`` copies each column
    with memcpy, about 3x cheaper than ``take`` with every row's index."""
    return pa.Table.from_arrays(
        [pa.concat_arrays([*col.chunks, pa.array([], type=col.type)]) for col in table.columns],
        schema=table.schema,
    )


def _split_by_partition(part: parse.ParsedPart) -> list[tuple[str, str, pa.Table]]:
    """Cut a part (sorted by day and platform) into zero-copy slices per partition."""
    keys = part.keys
    if len(keys) == 0:
        return []
    bounds = np.flatnonzero(np.diff(keys)) + 1
    starts = np.concatenate([[0], bounds])
    ends = np.concatenate([bounds, [len(keys)]])
    out = []
    for s, e in zip(starts, ends, strict=True):
        k = int(keys[s])
        day = (dt.date(1970, 1, 1) + dt.timedelta(days=k // 100_000)).isoformat()
        platform = slugify(part.platforms[k % 100_000])
        out.append((day, platform, part.table.slice(int(s), int(e - s))))
    return out


class _Turns:
    """Lets the workers take one step in the order of their parts (the duplicate check, so
    that the first occurrence of a uuid is the one kept, whatever the threads do)."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._next = 0

    @contextlib.contextmanager
    def turn(self, index: int) -> Iterator[None]:
        with self._cond:
            self._cond.wait_for(lambda: self._next == index)
        try:
            yield
        finally:
            with self._cond:
                self._next = index + 1
                self._cond.notify_all()


class PartError(archive.ArchiveError):
    """A CSV part could not be read; the message names the part."""


def _drop_rows(parsed: parse.ParsedPart, keep: np.ndarray) -> None:
    mask = pa.array(keep)
    parsed.table = parsed.table.filter(mask)
    parsed.keys = parsed.keys[keep]
    parsed.list_keys = {c: (d, i.filter(mask)) for c, (d, i) in parsed.list_keys.items()}


def _work(
    part: archive.CsvPart,
    source: str,
    index: int = 0,
    turns: _Turns | None = None,
    dedupe: dedup.Deduplicator | None = None,
    keep_duplicates: bool = False,
) -> tuple[parse.ParsedPart, list, tuple | None, int, int]:
    """Parse, convert, de-duplicate and count one part; return (parsed part, slices per
    partition, rollup partials or None, CSV bytes, duplicate rows removed)."""
    passed = False
    try:
        stream = part.open()  # inflated as the CSV reader goes; checked when it ends
        parsed = parse.parse_part(stream, source)
        if stream.read(1):  # the reader stops at the end of the CSV, so this is never expected
            raise archive.ArchiveError("data after the end of the CSV")
        if parsed.bad:  # rare: inflate the part again to give them their lines as published
            parse.place_bad_rows(parsed, part.read())
        removed = 0
        if turns is not None:
            with turns.turn(index):
                passed = True
                if dedupe is not None and parsed.good_rows:
                    repeated = dedupe.repeated(parsed.table["uuid"], parsed.keys // 100_000)
                    if repeated.any() and not keep_duplicates:
                        removed = int(repeated.sum())
                        _drop_rows(parsed, ~repeated)
        partials = rollup.partial(parsed.table, parsed.list_keys) if parsed.good_rows else None
        parsed.list_keys = {}
        return parsed, _split_by_partition(parsed), partials, part.size, removed
    except (archive.ArchiveError, parse.HeaderError) as exc:
        raise PartError(str(exc) if part.name in str(exc) else f"{part.name}: {exc}") from exc
    except Exception as exc:
        raise PartError(f"{part.name}: {type(exc).__name__}: {exc}") from exc
    finally:
        if turns is not None and not passed:
            with turns.turn(index):  # pass the turn on, so that later parts do not wait
                pass


def _write_rollup(store: Store, stem: str, name: str, merged: pa.Table, compression: str) -> Path:
    """Write one rollup of a dump under a temporary name (renamed with the rows)."""
    directory = store.rollup_dir(name)
    directory.mkdir(parents=True, exist_ok=True)
    tmp = directory / f"{stem}.parquet.tmp"
    try:
        pq.write_table(merged, tmp, compression=compression, row_group_size=65_536)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return tmp


def _write_rollups(
    store: Store, stem: str, counts: rollup.Accumulator, compression: str
) -> tuple[list[Path], dict[str, pa.Table]]:
    """Sum the dump's rollups and write each under a temporary name; return the temporary
    paths and the tables. A failure part-way removes what was already written."""
    merged = counts.result()
    written: list[Path] = []
    try:
        for name, table in merged.items():
            written.append(_write_rollup(store, stem, name, table, compression))
    except BaseException:
        for tmp in written:
            tmp.unlink(missing_ok=True)
        raise
    return written, merged


def _decide(store: Store, dump: archive.DumpFile, force: bool) -> tuple[str | None, list[str]]:
    """Return (reason to skip, manifest keys this dump replaces)."""
    current = store.read_manifest(dump.key)
    replaces: list[str] = []
    if current is not None:
        if not force and (current["version"] == "full" or current["version"] == dump.version):
            return f"already ingested from {current['dump']}", []
        replaces.append(dump.key)
    if dump.scope != "global":
        covering = store.read_manifest(f"global-{dump.day.isoformat()}")
        if covering is not None:
            return f"covered by {covering['dump']}", []
    else:
        day = dump.day.isoformat()
        replaces += [
            k
            for k, m in store.manifests().items()
            if m.get("day") == day and m.get("scope") != "global"
        ]
    return None, replaces


def ingest_dump(
    dump: archive.DumpFile,
    store: Store,
    *,
    force: bool = False,
    verify: bool = True,
    workers: int | None = None,
    row_group_rows: int = 16_384,
    buffer_bytes: int = 256 << 20,
    compression: str = "zstd",
    keep_duplicates: bool = False,
    on_progress: Callable[[Progress], None] | None = None,
) -> IngestReport:
    """Ingest one dump file; see the module docstring for what is skipped or replaced.

    Rows whose ``uuid`` came earlier in the dump, or is already stored for the same
    ``created_at`` day by another dump (one this dump does not replace), are counted and left
    out (``keep_duplicates`` writes them anyway, still counted).
    """
    started = time.perf_counter()
    report = IngestReport(
        dump=dump.name,
        status="ingested",
        zip_bytes=dump.path.stat().st_size,
        duplicates_kept=keep_duplicates,
    )
    skip, replaces = _decide(store, dump, force)
    if skip:
        report.status, report.message = "skipped", skip
        return report
    try:
        expected = archive.expected_checksum(dump, required=True) if verify else None
    except archive.ChecksumError as exc:
        report.status, report.message = "failed", str(exc)
        return report
    digest: str | None = None
    store.ensure()
    run = secrets.token_hex(3)
    writer = _PartitionWriter(
        store, f"{dump.name}-{run}", row_group_rows, buffer_bytes, compression
    )
    quarantine_path = store.quarantine_dir / f"{dump.name}.csv"
    quarantine_tmp = quarantine_path.with_suffix(".csv.tmp")
    reasons: Counter = Counter()
    unknown: dict[str, dict[str, int]] = {}
    extra: set[str] = set()
    counts = rollup.Accumulator()
    schemas: Counter = Counter()
    missing: set[str] = set()
    replaced_files = {
        store.root / rel
        for key in replaces
        for rel in (store.read_manifest(key) or {}).get("files", [])
    }

    def stored_files(day_number: int) -> list[Path]:
        day = (dt.date(1970, 1, 1) + dt.timedelta(days=day_number)).isoformat()
        files = store.rows_dir.glob(f"day={day}/platform=*/*.parquet")
        return sorted(p for p in files if p not in replaced_files)

    dedupe = dedup.Deduplicator(stored_files)
    turns = _Turns()
    rollup_tmps: list[Path] = []
    n_workers = workers or (os.cpu_count() or 2) + 1
    done_bytes = 0
    try:
        with (
            quarantine_tmp.open("w", newline="", encoding="utf-8") as qf,
            ThreadPoolExecutor(max_workers=n_workers) as pool,
        ):
            # The SHA-1 is computed beside the parsing (hashlib releases the GIL) and checked
            # before any file gets its final name: a mismatch leaves nothing behind.
            checksum = pool.submit(archive.check_checksum, dump, expected) if expected else None
            qw = csv.writer(qf)
            qw.writerow(["source_file", "part", "line", "reason", "raw"])
            pending: list[tuple[archive.CsvPart, Future]] = []

            def drain(limit: int) -> None:
                nonlocal done_bytes
                while len(pending) > limit:
                    part, fut = pending.pop(0)
                    parsed, slices, partials, size, removed = fut.result()
                    if partials is not None:
                        counts.add(*partials)
                    for day, platform, table in slices:
                        writer.add(day, platform, table)
                    for bad in parsed.bad:
                        qw.writerow([dump.name, part.name, bad.line or "", bad.reason, bad.raw])
                        reasons[_reason_kind(bad.reason)] += 1
                    report.rows_read += parsed.good_rows + len(parsed.bad) + removed
                    report.quarantined += len(parsed.bad)
                    report.parts += 1
                    report.empty_parts += parsed.good_rows + len(parsed.bad) + removed == 0
                    schemas[parsed.csv_schema] += 1
                    if parsed.csv_schema not in ("empty",):
                        missing.update(
                            c
                            for c in parsed.missing_columns
                            if not (dump.version == "light" and c in schema.FULL_ONLY_COLUMNS)
                        )
                    report.csv_bytes += size
                    extra.update(parsed.extra_columns)
                    done_bytes += part.compressed_size
                    if on_progress:
                        on_progress(
                            Progress(
                                dump.name, part.name, done_bytes, report.rows_read, report.zip_bytes
                            )
                        )

            for index, part in enumerate(archive.iter_parts(dump)):
                work = pool.submit(_work, part, dump.name, index, turns, dedupe, keep_duplicates)
                pending.append((part, work))
                drain(n_workers)
            drain(0)
            if report.parts == 0:
                raise archive.ArchiveError(
                    f"{dump.path.name}: holds no CSV part: not a Transparency Database dump"
                )
            if schemas["empty"] == report.parts:
                raise archive.ArchiveError(
                    f"{dump.path.name}: every CSV part is empty (not even a header)"
                )
            if checksum is not None:
                digest = checksum.result()
            # the rollups are summed and written while the partitions are finished
            summed = pool.submit(_write_rollups, store, f"{dump.name}-{run}", counts, compression)
            try:
                files = writer.close(pool)
            finally:
                # wait for the rollups, noting what they wrote so that a failure removes it
                with contextlib.suppress(Exception):
                    rollup_tmps += summed.result()[0]
            merged = summed.result()[1]
        for tmp in rollup_tmps:
            target = tmp.with_name(tmp.name.removesuffix(".tmp"))
            tmp.replace(target)
            writer.renamed.append(target)
            files.append(target)
        unknown = rollup.unknown_values(merged)
    except Exception as exc:
        writer.abort()
        for tmp in rollup_tmps:
            tmp.unlink(missing_ok=True)
        quarantine_tmp.unlink(missing_ok=True)
        report.status = "failed"
        report.message = (
            str(exc)
            if isinstance(exc, archive.ArchiveError)
            else f"{dump.path.name}: {type(exc).__name__}: {exc}"
        )
        report.seconds = time.perf_counter() - started
        return report
    for key in replaces:
        store.drop(key)
        report.replaced.append(key)
    quarantine_tmp.replace(quarantine_path)
    report.rows_written = writer.rows_written
    report.reasons = dict(reasons)
    report.unknown_values = unknown
    report.extra_columns = sorted(extra)
    report.csv_schemas = dict(schemas)
    report.missing_columns = [c for c in schema.FULL_COLUMNS if c in missing]
    report.duplicates_in_dump = dedupe.counts.in_dump
    report.duplicates_in_store = dedupe.counts.in_store
    report.files = [str(f.relative_to(store.root)) for f in files]
    report.seconds = time.perf_counter() - started
    # never drop silently
    if report.rows_read != report.rows_written + report.quarantined + report.duplicates_removed:
        raise AssertionError(f"{dump.name}: rows read ≠ written + quarantined + duplicates")
    store.write_manifest(
        dump.key,
        {
            "dump": dump.name,
            "scope": dump.scope,
            "day": dump.day.isoformat(),
            "version": dump.version,
            "sha1": digest,
            "ingested_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "quarantine": str(quarantine_path.relative_to(store.root)),
            "duplicates": report.duplicates,
            "duplicates_removed": report.duplicates_removed,
            **{
                k: v
                for k, v in asdict(report).items()
                if k not in {"dump", "status", "message", "replaced"}
            },
        },
    )
    return report


def _reason_kind(reason: str) -> str:
    """``"wrong number of fields (12, expected 38)"`` → ``"wrong number of fields"``."""
    return reason.split(" (", 1)[0]


def ingest(
    paths: Iterable[str | os.PathLike[str]],
    store: Store | str | os.PathLike[str] | None = None,
    *,
    force: bool = False,
    verify: bool = True,
    workers: int | None = None,
    keep_duplicates: bool = False,
    on_progress: Callable[[Progress], None] | None = None,
    on_report: Callable[[IngestReport], None] | None = None,
) -> list[IngestReport]:
    """Ingest dump files (or folders of them) into ``store``; one report per dump, by day.

    A dump that fails (bad checksum, unreadable archive) is reported as ``failed`` and leaves
    the store as it was; the others go on.
    """
    st = store if isinstance(store, Store) else Store.at(store)
    reports = []
    with arrow_memory():
        for dump in archive.find_dumps(list(paths)):
            rep = ingest_dump(
                dump,
                st,
                force=force,
                verify=verify,
                workers=workers,
                keep_duplicates=keep_duplicates,
                on_progress=on_progress,
            )
            reports.append(rep)
            if on_report:
                on_report(rep)
    return reports
