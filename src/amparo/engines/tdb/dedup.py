"""Duplicate ``uuid``s: within a dump, and between a dump and the rows already stored for the
same days (the neighbouring days' dumps, whose rows spill into each other).

A ``uuid`` is turned into its 128 bits (two ``uint64``), read straight from the string bytes
with numpy when it has the canonical 36 characters (any case); any other text is hashed with
BLAKE2b to 128 bits. Keys are kept per ``created_at`` day in sorted runs that are merged as
they grow (a log-structured set): a membership test is a binary search per run, and memory is
16 bytes a row of the days a dump touches, plus the same for the stored rows of those days.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

_HEX = np.full(256, 255, dtype=np.uint8)
for _i, _c in enumerate(b"0123456789abcdef"):
    _HEX[_c] = _i
for _i, _c in enumerate(b"ABCDEF"):
    _HEX[_c] = 10 + _i
#: Where the 32 hex digits of a canonical uuid (8-4-4-4-12) sit.
_DIGITS = np.array([*range(0, 8), *range(9, 13), *range(14, 18), *range(19, 23), *range(24, 36)])
_DASHES = np.array([8, 13, 18, 23])


def uuid_keys(col: pa.Array | pa.ChunkedArray) -> tuple[np.ndarray, np.ndarray]:
    """128-bit keys ``(high, low)`` of a string column of uuids (no nulls)."""
    chunks = col.chunks if isinstance(col, pa.ChunkedArray) else [col]
    highs, lows = [], []
    for chunk in chunks:
        h, lo = _chunk_keys(chunk)
        highs.append(h)
        lows.append(lo)
    if not highs:
        return np.zeros(0, np.uint64), np.zeros(0, np.uint64)
    return np.concatenate(highs), np.concatenate(lows)


def _chunk_keys(arr: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    n = len(arr)
    high, low = np.zeros(n, np.uint64), np.zeros(n, np.uint64)
    if n == 0:
        return high, low
    if pa.types.is_large_string(arr.type):
        arr = arr.cast(pa.string())
    offsets = np.frombuffer(arr.buffers()[1], np.int32, n + 1, arr.offset * 4)
    canonical = np.diff(offsets) == 36
    if arr.null_count:
        canonical &= arr.is_valid().to_numpy(zero_copy_only=False)
    rows = np.flatnonzero(canonical)
    if len(rows):
        data = np.frombuffer(arr.buffers()[2], np.uint8)
        if len(rows) == n:  # the usual case: one contiguous block of 36-byte values
            chars = data[offsets[0] : offsets[-1]].reshape(n, 36)
        else:
            chars = data[offsets[rows][:, None] + np.arange(36)]
        nibbles = _HEX[chars[:, _DIGITS]]
        ok = (nibbles != 255).all(axis=1) & (chars[:, _DASHES] == ord("-")).all(axis=1)
        packed = np.ascontiguousarray((nibbles[:, 0::2] << 4) | nibbles[:, 1::2])  # 16 bytes
        h = packed[:, :8].copy().view(">u8").ravel().astype(np.uint64)
        lo = packed[:, 8:].copy().view(">u8").ravel().astype(np.uint64)
        high[rows[ok]], low[rows[ok]] = h[ok], lo[ok]
        canonical[rows[~ok]] = False
    for i in np.flatnonzero(~canonical).tolist():  # rare: hash whatever text it is
        value = arr[i].as_py()
        digest = hashlib.blake2b((value or "").encode(), digest_size=16).digest()
        high[i] = int.from_bytes(digest[:8], "big")
        low[i] = int.from_bytes(digest[8:], "big")
    return high, low


def first_occurrences(high: np.ndarray, low: np.ndarray) -> np.ndarray:
    """Mask of rows whose key did not occur earlier in the same arrays."""
    n = len(high)
    keep = np.ones(n, dtype=bool)
    if n < 2:
        return keep
    sorted_high = np.sort(high)
    if not (sorted_high[1:] == sorted_high[:-1]).any():  # the usual case: no repeat at all
        return keep
    order = np.lexsort((np.arange(n), low, high))  # equal keys in row order
    h, lo = high[order], low[order]
    repeat = np.zeros(n, dtype=bool)
    repeat[1:] = (h[1:] == h[:-1]) & (lo[1:] == lo[:-1])
    keep[order[repeat]] = False
    return keep


@dataclass
class KeySet:
    """A set of 128-bit keys: sorted runs, merged when a run is no larger than the next."""

    runs: list[tuple[np.ndarray, np.ndarray]] = field(default_factory=list)

    def __len__(self) -> int:
        return sum(len(h) for h, _ in self.runs)

    def contains(self, high: np.ndarray, low: np.ndarray) -> np.ndarray:
        if not self.runs or not len(high):
            return np.zeros(len(high), dtype=bool)
        # binary searches in sorted order touch the runs' memory in order: 3-4x faster
        order = np.argsort(high)
        found_sorted = self._contains_sorted(high[order], low[order])
        found = np.empty(len(high), dtype=bool)
        found[order] = found_sorted
        return found

    def _contains_sorted(self, high: np.ndarray, low: np.ndarray) -> np.ndarray:
        found = np.zeros(len(high), dtype=bool)
        for rh, rl in self.runs:
            if not len(rh):
                continue
            i = np.searchsorted(rh, high, "left")
            j = np.minimum(i, len(rh) - 1)
            hit = (rh[j] == high) & (i < len(rh))
            exact = hit & (rl[j] == low)
            found |= exact
            # the same high half with another low half: look at the neighbours (rare)
            for k in np.flatnonzero(hit & ~exact & ~found).tolist():
                m = int(i[k])
                while m < len(rh) and rh[m] == high[k]:
                    if rl[m] == low[k]:
                        found[k] = True
                        break
                    m += 1
        return found

    def add(self, high: np.ndarray, low: np.ndarray) -> None:
        """Add keys (not already in the set, and distinct). Runs are sorted by the high half
        only (:meth:`contains` scans the few keys that share one)."""
        if not len(high):
            return
        order = np.argsort(high)
        self.runs.append((high[order], low[order]))
        while len(self.runs) > 1 and len(self.runs[-2][0]) <= 2 * len(self.runs[-1][0]):
            (h1, l1), (h2, l2) = self.runs.pop(), self.runs.pop()
            self.runs.append(_merge(h2, l2, h1, l1))


def _merge(
    h1: np.ndarray, l1: np.ndarray, h2: np.ndarray, l2: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Merge two runs sorted by their high halves (linear, no sort)."""
    at = np.searchsorted(h1, h2, side="right") + np.arange(len(h2))
    second = np.zeros(len(h1) + len(h2), dtype=bool)
    second[at] = True
    high, low = np.empty(len(second), np.uint64), np.empty(len(second), np.uint64)
    high[second], low[second] = h2, l2
    high[~second], low[~second] = h1, l1
    return high, low


@dataclass
class DuplicateCounts:
    in_dump: int = 0  # rows whose uuid came earlier in the same dump
    in_store: int = 0  # rows whose uuid the store already holds for that day (another dump)

    @property
    def total(self) -> int:
        return self.in_dump + self.in_store


class Deduplicator:
    """Finds the rows of a dump whose ``uuid`` was seen before, per ``created_at`` day.

    ``stored(day)`` gives the Parquet files already in the store for a day (not those the
    dump replaces); their uuids are read once, the first time the dump has a row of that day.
    Parts must be passed in the dump's order (ingest serialises this step) so that the first
    occurrence is the one kept, whatever the threads do.
    """

    def __init__(self, stored: Callable[[int], Iterable[str | os.PathLike[str]]]) -> None:
        self._stored_files = stored
        self._seen: dict[int, KeySet] = {}
        self._stored: dict[int, KeySet] = {}
        self.counts = DuplicateCounts()

    def _stored_keys(self, day: int) -> KeySet:
        if day not in self._stored:
            keys = KeySet()
            for path in self._stored_files(day):
                col = pq.read_table(path, columns=["uuid"])["uuid"]
                high, low = uuid_keys(col)
                first = first_occurrences(high, low)
                new = first & ~keys.contains(high, low)
                keys.add(high[new], low[new])
            self._stored[day] = keys
        return self._stored[day]

    def repeated(self, uuids: pa.ChunkedArray | pa.Array, days: np.ndarray) -> np.ndarray:
        """Mask of rows (of one part, ``days`` = day number per row) seen before; the others
        are remembered."""
        high, low = uuid_keys(uuids)
        first = first_occurrences(high, low)
        repeated = ~first
        in_store = np.zeros(len(high), dtype=bool)
        for day in np.unique(days).tolist():
            rows = np.flatnonzero((days == day) & first)
            h, lo = high[rows], low[rows]
            stored = self._stored_keys(day).contains(h, lo)
            seen = self._seen.setdefault(day, KeySet())
            earlier = seen.contains(h, lo) & ~stored
            in_store[rows[stored]] = True
            repeated[rows[stored | earlier]] = True
            new = ~(stored | earlier)
            seen.add(h[new], lo[new])
        self.counts.in_store += int(in_store.sum())
        self.counts.in_dump += int(repeated.sum() - in_store.sum())
        return repeated
