"""Known data-quality events of the Transparency Database, surfaced in results, never hidden.

A result *touches* an event when its day range overlaps the event's, it may hold rows of the
event's platforms, and (for events about one field) it groups or filters by that field. Each
result carries the events it touches; when it is split by day and platform, each row also
says which events concern it (column ``quality_flags``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .queries import DIMENSIONS, Aggregation


@dataclass(frozen=True)
class QualityEvent:
    id: str
    title: str
    detail: str
    start: dt.date | None  # first day concerned (None: since the beginning)
    end: dt.date | None  # last day concerned (None: still open)
    platforms: frozenset[str] = frozenset()  # platform names; empty means all platforms
    columns: frozenset[str] = frozenset()  # store columns; empty means every figure


EVENTS: tuple[QualityEvent, ...] = (
    QualityEvent(
        id="deduplication-2024-05-22",
        title="Deduplication of 2024-05-22",
        detail="The database removed duplicate statements on 2024-05-22 and regenerated the "
        "dumps: figures for days up to then differ from dumps downloaded before it.",
        start=None,
        end=dt.date(2024, 5, 22),
    ),
    QualityEvent(
        id="google-play-automated-detection",
        title="Google Play automated_detection inverted",
        detail="For part of Google Play's statements from September 2023 to May 2026 "
        "automated_detection says the opposite of what happened.",
        start=dt.date(2023, 9, 1),
        end=dt.date(2026, 5, 31),
        platforms=frozenset({"Google Play"}),
        columns=frozenset({"automated_detection"}),
    ),
    QualityEvent(
        id="meta-trusted-flagger-labels",
        title="Facebook/Instagram trusted-flagger labels",
        detail="Facebook and Instagram may have labelled submissions as coming from trusted "
        "flaggers that did not, before 2025-10-28.",
        start=None,
        end=dt.date(2025, 10, 27),
        platforms=frozenset({"Facebook", "Instagram"}),
        columns=frozenset({"source_type", "source_identity"}),
    ),
)


def _overlaps(event: QualityEvent, start: dt.date | None, end: dt.date | None) -> bool:
    if event.end is not None and start is not None and start > event.end:
        return False
    return not (event.start is not None and end is not None and end < event.start)


def _columns_of(agg: Aggregation) -> set[str]:
    cols = {DIMENSIONS[d].column for d in agg.dimensions}
    return cols | {f.column for f in agg.filters}


def _platforms_of(agg: Aggregation) -> set[str] | None:
    """Platforms the result can hold, from its filters; None when not restricted."""
    allowed: set[str] | None = None
    for f in agg.filters:
        if f.dimension == "platform" and f.op in ("eq", "in"):
            vals = {str(v) for v in f.values}
            allowed = vals if allowed is None else allowed & vals
    return allowed


def events_for(
    agg: Aggregation, data_start: dt.date | None = None, data_end: dt.date | None = None
) -> list[QualityEvent]:
    """Events an aggregation touches, given its own day range or the data's."""
    start = agg.start or data_start
    end = agg.end or data_end
    cols = _columns_of(agg)
    platforms = _platforms_of(agg)
    found = []
    for e in EVENTS:
        if not _overlaps(e, start, end):
            continue
        if e.platforms and platforms is not None and not (e.platforms & platforms):
            continue
        if e.columns and not (e.columns & cols):
            continue
        found.append(e)
    return found


def flag_rows(table: pa.Table, events: list[QualityEvent]) -> pa.Table:
    """Add ``quality_flags`` (event ids joined by ``;``, or null) to a result split by day.

    The column is dictionary-encoded: one code per combination of events, so that results of
    millions of rows cost a few integer operations per row.
    """
    if not events or "day" not in table.column_names or table.num_rows == 0:
        return table
    days = pc.cast(table["day"], pa.date32())
    code = np.zeros(table.num_rows, dtype=np.int32)
    for bit, e in enumerate(events):
        mask = np.ones(table.num_rows, dtype=bool)
        if e.start is not None:
            mask &= _np(pc.greater_equal(days, pa.scalar(e.start, pa.date32())))
        if e.end is not None:
            mask &= _np(pc.less_equal(days, pa.scalar(e.end, pa.date32())))
        if e.platforms and "platform" in table.column_names:
            mask &= _np(pc.is_in(table["platform"], pa.array(sorted(e.platforms))))
        code |= mask.astype(np.int32) << bit
    combos = [
        ";".join(e.id for bit, e in enumerate(events) if c >> bit & 1)
        for c in range(1 << len(events))
    ]
    flags = pa.DictionaryArray.from_arrays(
        pa.array(code, mask=code == 0), pa.array(combos, pa.string())
    )
    return table.append_column("quality_flags", flags)


def _np(mask) -> np.ndarray:
    return np.asarray(pc.fill_null(mask, False).to_numpy(zero_copy_only=False), dtype=bool)
