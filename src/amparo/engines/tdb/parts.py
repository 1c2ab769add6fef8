"""The work on one CSV part, run in a pool thread: parse, convert, de-duplicate in the dump's
order, count the rollups and cut the rows into partition slices.

Split from :mod:`.ingest` (which re-exports these names).
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator

import numpy as np
import pyarrow as pa

from . import archive, dedup, parse, rollup
from .partitions import _split_by_partition


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
