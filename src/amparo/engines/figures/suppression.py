"""Small-count suppression with complementary suppression, checked by the attacker it defends
against.

A report is a list of :class:`Table` objects: counts of one *population* (incidents,
escalations...) over a period, broken down by zero, one or two categorical dimensions and
optionally by month, margins included (the key ``TOTAL`` in a dimension). Suppression works in
two passes:

1. **primary**: every cell with ``0 < value < threshold`` is suppressed. Zeros are published
   (a zero identifies nobody), so an attacker knows that every suppressed cell is at least 1.
2. **complementary**, audit and repair: the attacker of :mod:`.attacker` solves everything the
   organisation has published — the new report's tables, their margins, the other tables of
   the same report and every earlier published report of the organisation, with overlapping
   periods cut into common segments — as a linear system with bounds, and computes the
   smallest and largest value each suppressed cell can take. While some suppressed cell (of
   the new report or of an earlier one) is pinned to a range narrower than ``min_width``, one
   more published cell of the new report is suppressed: one that shares the exposed cell's row
   or column if there is one, else any cell whose contents overlap it, the smallest first (the
   least information lost). A complementary cell that is itself pinned (by an earlier report,
   say) protects nothing: it is published again (it is never a small count) and not chosen
   again. The loop ends because each cell is suppressed and published back at most once.

Earlier reports are never changed (they are published); only the new report gives way.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date

from .system import TOTAL, CellRef, Exposure, Table, feasible_ranges

__all__ = [
    "TOTAL",
    "Exposure",
    "Table",
    "exposed_cells",
    "primary_suppression",
    "suppress",
]


def primary_suppression(tables: Sequence[Table], threshold: int) -> list[Table]:
    """Every cell with ``0 < value < threshold`` suppressed; nothing else (never enough alone:
    the tests show the attacker recovering such cells from the margins)."""
    if threshold < 1:
        raise ValueError("the threshold must be at least 1")
    out = []
    for table in tables:
        hidden = {key for key, value in table.cells.items() if 0 < value < threshold}
        out.append(replace(table, suppressed=frozenset(hidden), primary=frozenset(hidden)))
    return out


def exposed_cells(
    tables: Sequence[Table], *, min_width: float = 1.0, integer: bool = False, first: bool = False
) -> list[Exposure]:
    """The suppressed cells of ``tables`` whose feasible range is narrower than ``min_width``
    (only the first found, with ``first``)."""
    ranges = feasible_ranges(
        tables, integer=integer, first_narrower_than=min_width if first else None
    )
    return [e for e in ranges if e.high - e.low < min_width - 1e-6]


@dataclass
class Outcome:
    tables: list[Table]
    rounds: int = 0
    complementary: list[CellRef] = field(default_factory=list)


def _neighbours(table: Table, key: tuple[str, ...]) -> list[tuple[str, ...]]:
    """Cells of ``table`` sharing all coordinates but one with ``key`` (its row, its column,
    its margins)."""
    return [
        other
        for other in table.cells
        if other != key and sum(a != b for a, b in zip(other, key, strict=True)) == 1
    ]


def _overlaps(a: Table, ka: tuple[str, ...], b: Table, kb: tuple[str, ...]) -> bool:
    """Whether two cells may count some of the same units (same population, overlapping
    periods, no dimension on which they name different categories)."""
    if a.population != b.population:
        return False
    ia, ib = a.interval(ka), b.interval(kb)
    if ia[0] > ib[1] or ib[0] > ia[1]:
        return False
    pa, pb = a.pattern(ka), b.pattern(kb)
    return all(pb.get(d, v) == v for d, v in pa.items())


def suppress(
    tables: Sequence[Table],
    *,
    threshold: int = 10,
    history: Iterable[Table] = (),
    min_width: float = 1.0,
    max_rounds: int = 500,
) -> Outcome:
    """Primary and complementary suppression of the new report ``tables`` against everything
    in ``history`` (the tables of earlier published reports, as published)."""
    earlier = list(history)
    current = primary_suppression(tables, threshold)
    outcome = Outcome(tables=current)
    names = {t.name for t in current}
    useless: set[CellRef] = set()
    for _ in range(max_rounds):
        everything = earlier + current
        exposures = exposed_cells(everything, min_width=min_width, first=True)
        if not exposures:
            outcome.tables = current
            return outcome
        outcome.rounds += 1
        target = exposures[0]
        table = next((t for t in current if t.name == target.cell.table), None)
        if table is not None and target.cell.key not in table.primary:
            # A complementary cell whose value the rest gives away protects nothing (it is
            # never a small count): publish it again and never choose it again.
            useless.add(target.cell)
            outcome.complementary.remove(target.cell)
            current = [
                replace(t, suppressed=t.suppressed - {target.cell.key}) if t is table else t
                for t in current
            ]
            continue
        choice = _complement(current, everything, target, names, useless)
        if choice is None:  # nothing left to give way: hide every count of the new report
            current = [
                replace(t, suppressed=frozenset(k for k, v in t.cells.items() if v > 0))
                for t in current
            ]
            outcome.tables = current
            return outcome
        table_name, key = choice
        outcome.complementary.append(CellRef(table_name, key))
        current = [
            replace(t, suppressed=t.suppressed | {key}) if t.name == table_name else t
            for t in current
        ]
    raise RuntimeError("complementary suppression did not converge")  # pragma: no cover


def _complement(
    current: list[Table],
    everything: list[Table],
    target: Exposure,
    names: set[str],
    useless: set[CellRef],
) -> tuple[str, tuple[str, ...]] | None:
    by_name = {t.name: t for t in everything}
    target_table = by_name[target.cell.table]
    candidates: list[tuple[int, int, int, str, tuple[str, ...]]] = []
    for table in current:
        for key, value in table.cells.items():
            if key in table.suppressed or value <= 0 or CellRef(table.name, key) in useless:
                continue
            if table.name == target_table.name and key in _neighbours(table, target.cell.key):
                rank = 0
            elif _overlaps(target_table, target.cell.key, table, key):
                rank = 1
            else:
                rank = 2
            margins = sum(k == TOTAL for k in key)
            candidates.append((rank, margins, value, table.name, key))
    if not candidates:
        return None
    candidates.sort()
    _rank, _margins, _value, name, key = candidates[0]
    return name, key


def period_tables(tables: Sequence[Table], start: date, end: date) -> list[Table]:
    """The tables that cover ``start``-``end`` (for callers keeping a history)."""
    return [t for t in tables if t.start <= end and start <= t.end]
