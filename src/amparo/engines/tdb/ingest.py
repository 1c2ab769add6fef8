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
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq  # noqa: F401 - tests patch ingest.pq

from . import archive, dedup, rollup, schema
from .partitions import (  # noqa: F401 - re-exported: the public import paths of before
    DICTIONARY_COLUMNS,
    LIST_ELEMENTS,
    STATISTICS_COLUMNS,
    _copy,
    _Partition,
    _PartitionWriter,
    _split_by_partition,
    _write_rollup,
    _write_rollups,
)
from .parts import PartError, _drop_rows, _Turns, _work  # noqa: F401 - re-exported
from .store import Store


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


@dataclass(frozen=True)
class Plan:
    """A decision made elsewhere (the Spark driver, :mod:`.distributed`) for one dump: which
    manifest keys it replaces, and which row files its duplicate check leaves out (those of
    replaced entries, and those the run's other tasks write meanwhile). With a plan,
    ``ingest_dump`` neither decides nor drops the replaced entries: the driver does both."""

    replaces: tuple[str, ...] = ()
    #: files of entries replaced by any dump of the run, never read (relative to the store)
    excluded_files: tuple[str, ...] = ()
    #: the run's token, shared by its tasks: in every file name the run writes, and the mark
    #: by which a task leaves out the files that other tasks of the run wrote meanwhile
    run: str = ""


def ingest_dump(
    dump: archive.DumpFile,
    store: Store,
    *,
    plan: Plan | None = None,
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
    if plan is None:
        skip, replaces = _decide(store, dump, force)
        if skip:
            report.status, report.message = "skipped", skip
            return report
    else:
        replaces = list(plan.replaces)
    try:
        expected = archive.expected_checksum(dump, required=True) if verify else None
    except archive.ChecksumError as exc:
        report.status, report.message = "failed", str(exc)
        return report
    digest: str | None = None
    store.ensure()
    run = plan.run if plan is not None and plan.run else secrets.token_hex(3)
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

    if plan is not None:
        replaced_files |= {store.root / f for f in plan.excluded_files}
    this_run = f"-{plan.run}.parquet" if plan is not None and plan.run else None

    def stored_files(day_number: int) -> list[Path]:
        day = (dt.date(1970, 1, 1) + dt.timedelta(days=day_number)).isoformat()
        files = store.rows_dir.glob(f"day={day}/platform=*/*.parquet")
        return sorted(
            p
            for p in files
            if p not in replaced_files and not (this_run and p.name.endswith(this_run))
        )

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
        if plan is None:  # else the driver drops them once every task has finished
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
