"""Writing a dump's rows and rollups: one Parquet file per (day, platform) partition and dump,
and one file per rollup and dump, each under a temporary name until the whole dump is read.

Split from :mod:`.ingest` (which re-exports these names); the same writer serves the
sequential ingest and each task of the Spark ingest (:mod:`.distributed`).
"""

from __future__ import annotations

import contextlib
import datetime as dt
from concurrent.futures import Executor
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from . import parse, rollup, schema
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
