"""Published tables as a linear system, and the feasible range of every suppressed cell.

The unknowns are counts of one population in *segments* of time (the periods of every table,
their months included, cut at every boundary so that overlapping periods share segments) and in
the categories of the tables' dimensions. Tables of one population are tied through the cells
of their *cliques* (the largest sets of dimensions tabulated together): when the cliques form a
decomposable (tree-shaped) structure, any set of clique tables that agree on their shared
margins comes from some table of the full cross-classification, so the system is as tight as
one over every combination of categories and much smaller; otherwise the cliques are merged into
one. Everything an attacker knows goes in:

* each published cell equals its value;
* each suppressed cell is at least 1 (zeros are always published);
* a category that a table does not list is zero in that table's period (tables list every
  category present);
* every unknown is at least 0 (integer for the exact attacker).

:func:`feasible_ranges` then minimises and maximises each suppressed cell (HiGHS, the
open-source LP/MIP solver SciPy's ``linprog`` also uses, through its own small ``highspy``
bindings; with ``integer=True`` as a mixed-integer programme).
"""

from __future__ import annotations

import itertools
import os
import sys
import threading
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, NamedTuple

TOTAL = "*"
MONTH = "month"


class CellRef(NamedTuple):
    table: str
    key: tuple[str, ...]


class Exposure(NamedTuple):
    cell: CellRef
    low: float
    high: float


@dataclass(frozen=True, eq=False)
class Table:
    """Counts of ``population`` from ``start`` to ``end`` (inclusive) by ``dims``.

    ``cells`` maps one category per dimension (or :data:`TOTAL` for a margin) to a count; a
    dimension named ``month`` holds months as ``YYYY-MM``. ``name`` is unique in a history (the
    report's id and the table's code, say)."""

    name: str
    population: str
    dims: tuple[str, ...]
    start: date
    end: date
    cells: Mapping[tuple[str, ...], int]
    suppressed: frozenset[tuple[str, ...]] = field(default_factory=frozenset)
    primary: frozenset[tuple[str, ...]] = field(default_factory=frozenset)

    def categorical(self) -> tuple[str, ...]:
        return tuple(d for d in self.dims if d != MONTH)

    def pattern(self, key: tuple[str, ...]) -> dict[str, str]:
        return {d: v for d, v in zip(self.dims, key, strict=True) if d != MONTH and v != TOTAL}

    def interval(self, key: tuple[str, ...]) -> tuple[date, date]:
        if MONTH in self.dims:
            month = key[self.dims.index(MONTH)]
            if month != TOTAL:
                first = date(int(month[:4]), int(month[5:7]), 1)
                following = (first + timedelta(days=32)).replace(day=1)
                return max(first, self.start), min(following - timedelta(days=1), self.end)
        return self.start, self.end

    def published(self, key: tuple[str, ...]) -> int | None:
        return None if key in self.suppressed else self.cells[key]


def _months(start: date, end: date) -> Iterator[date]:
    day = start.replace(day=1)
    while day <= end:
        yield day
        day = (day + timedelta(days=32)).replace(day=1)


def _decomposable(cliques: list[frozenset[str]]) -> bool:
    """Whether the cliques can be removed one by one, each meeting the rest inside one other
    clique (a junction tree exists)."""
    rest = list(cliques)
    while len(rest) > 1:
        for i, clique in enumerate(rest):
            others = rest[:i] + rest[i + 1 :]
            union = frozenset().union(*others)
            shared = clique & union
            if any(shared <= other for other in others):
                rest.pop(i)
                break
        else:
            return False
    return True


class _Population:
    def __init__(self, tables: list[Table]) -> None:
        self.tables = tables
        sets = sorted({frozenset(t.categorical()) for t in tables}, key=len, reverse=True)
        cliques: list[frozenset[str]] = []
        for s in sets:
            if not any(s <= c for c in cliques):
                cliques.append(s)
        if not _decomposable(cliques):
            cliques = [frozenset().union(*cliques)]
        self.cliques = [tuple(sorted(c)) for c in cliques]
        self.categories: dict[str, list[str]] = {}
        for t in tables:
            for i, d in enumerate(t.dims):
                if d == MONTH:
                    continue
                values = self.categories.setdefault(d, [])
                for key in t.cells:
                    if key[i] != TOTAL and key[i] not in values:
                        values.append(key[i])
        points: set[date] = set()
        for t in tables:
            points |= {t.start, t.end + timedelta(days=1)}
            if MONTH in t.dims:
                points |= {m for m in _months(t.start, t.end) if m > t.start}
        ordered = sorted(points)
        self.segments = [
            (a, b - timedelta(days=1))
            for a, b in itertools.pairwise(ordered)
            if any(t.start <= a and b - timedelta(days=1) <= t.end for t in tables)
        ]

    def combos(self, dims: tuple[str, ...]) -> list[tuple[str, ...]]:
        return list(itertools.product(*(self.categories.get(d, []) for d in dims)))


class System:
    """The equations and bounds of a set of tables, with each cell's row of coefficients."""

    def __init__(self, tables: Sequence[Table]) -> None:
        self.index: dict[tuple[str, int, int, tuple[str, ...]], int] = {}
        self.rows: dict[CellRef, list[int]] = {}
        self.eq: list[tuple[list[int], list[int], int]] = []  # (plus, minus, value)
        self.at_least_one: list[list[int]] = []
        by_population: dict[str, list[Table]] = {}
        for t in tables:
            by_population.setdefault(t.population, []).append(t)
        for population, members in by_population.items():
            self._add(population, _Population(members))

    def _var(self, key: tuple[str, int, int, tuple[str, ...]]) -> int:
        if key not in self.index:
            self.index[key] = len(self.index)
        return self.index[key]

    def _add(self, population: str, pop: _Population) -> None:
        for s in range(len(pop.segments)):
            for k, clique in enumerate(pop.cliques):
                for combo in pop.combos(clique):
                    self._var((population, s, k, combo))
        # Cliques agree on what they share, in every segment.
        for s in range(len(pop.segments)):
            for (i, a), (j, b) in itertools.combinations(enumerate(pop.cliques), 2):
                shared = tuple(sorted(set(a) & set(b)))
                for combo in pop.combos(shared):
                    want = dict(zip(shared, combo, strict=True))
                    plus = self._vars(population, pop, s, i, want)
                    minus = self._vars(population, pop, s, j, want)
                    self.eq.append((plus, minus, 0))
        for t in pop.tables:
            home = next(n for n, c in enumerate(pop.cliques) if set(t.categorical()) <= set(c))
            for key, value in t.cells.items():
                row = self._cell(population, pop, home, t.interval(key), t.pattern(key))
                self.rows[CellRef(t.name, key)] = row
                if key in t.suppressed:
                    self.at_least_one.append(row)
                else:
                    self.eq.append((row, [], value))
            # A category the table does not list is zero in its period.
            for i, d in enumerate(t.dims):
                if d == MONTH:
                    continue
                listed = {key[i] for key in t.cells}
                for category in pop.categories.get(d, []):
                    if category not in listed:
                        row = self._cell(population, pop, home, (t.start, t.end), {d: category})
                        self.eq.append((row, [], 0))

    def _vars(
        self, population: str, pop: _Population, s: int, k: int, want: dict[str, str]
    ) -> list[int]:
        clique = pop.cliques[k]
        return [
            self.index[(population, s, k, combo)]
            for combo in pop.combos(clique)
            if all(combo[clique.index(d)] == v for d, v in want.items())
        ]

    def _cell(
        self,
        population: str,
        pop: _Population,
        k: int,
        interval: tuple[date, date],
        want: dict[str, str],
    ) -> list[int]:
        out: list[int] = []
        for s, (a, b) in enumerate(pop.segments):
            if interval[0] <= a and b <= interval[1]:
                out += self._vars(population, pop, s, k, want)
        return out

    def rows_and_bounds(self) -> tuple[list[dict[int, float]], list[float], list[float]]:
        """The constraints as sparse rows with lower and upper bounds: the published equations
        (lower = upper = the value), then "at least one" for each suppressed non-zero cell."""
        rows: list[dict[int, float]] = []
        lower: list[float] = []
        upper: list[float] = []
        for plus, minus, value in self.eq:
            row: dict[int, float] = {}
            for v in plus:
                row[v] = row.get(v, 0.0) + 1
            for v in minus:
                row[v] = row.get(v, 0.0) - 1
            rows.append(row)
            lower.append(float(value))
            upper.append(float(value))
        for cells in self.at_least_one:
            rows.append(dict.fromkeys(cells, 1.0))
            lower.append(1.0)
            upper.append(INF)
        return rows, lower, upper


INF = float("inf")
_quiet = threading.Lock()
_announced = False


def _highs() -> Any:
    """A HiGHS instance with its output off. HiGHS prints a banner to the process's standard
    output when the first instance is made, before any option can be set: that one is made with
    file descriptor 1 pointed at /dev/null for the moment."""
    global _announced
    import highspy

    with _quiet:
        if not _announced:
            sys.stdout.flush()
            saved = os.dup(1)
            devnull = os.open(os.devnull, os.O_WRONLY)
            try:
                os.dup2(devnull, 1)
                first = highspy.Highs()
            finally:
                os.dup2(saved, 1)
                os.close(saved)
                os.close(devnull)
            _announced = True
            first.setOptionValue("output_flag", False)
            return first
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    return h


def _solve(
    cost: list[float],
    rows: list[dict[int, float]],
    lower: list[float],
    upper: list[float],
    n: int,
    *,
    integer: bool,
) -> tuple[str, float]:
    """Minimise ``cost @ x`` for x >= 0 under ``lower <= rows @ x <= upper`` with HiGHS (the
    solver SciPy's ``linprog`` uses); ("optimal", value), ("unbounded", -inf) or ("infeasible",
    nan)."""
    import highspy
    import numpy as np

    lp = highspy.HighsLp()
    lp.num_col_ = n
    lp.num_row_ = len(rows)
    lp.col_cost_ = np.array(cost, dtype=float)
    lp.col_lower_ = np.zeros(n)
    lp.col_upper_ = np.full(n, highspy.kHighsInf)
    lp.row_lower_ = np.array(lower, dtype=float)
    lp.row_upper_ = np.array([highspy.kHighsInf if u == INF else u for u in upper], dtype=float)
    starts, index, value = [0], [], []
    for row in rows:
        for v, a in sorted(row.items()):
            index.append(v)
            value.append(a)
        starts.append(len(index))
    lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
    lp.a_matrix_.num_col_ = n
    lp.a_matrix_.num_row_ = len(rows)
    lp.a_matrix_.start_ = np.array(starts, dtype=np.int32)
    lp.a_matrix_.index_ = np.array(index, dtype=np.int32)
    lp.a_matrix_.value_ = np.array(value, dtype=float)
    if integer:
        lp.integrality_ = [highspy.HighsVarType.kInteger] * n
    h = _highs()
    h.passModel(lp)
    h.run()
    status = h.getModelStatus()
    if status == highspy.HighsModelStatus.kUnboundedOrInfeasible:
        # Presolve could not tell which: the simplex without presolve can.
        h.setOptionValue("presolve", "off")
        h.run()
        status = h.getModelStatus()
    if status == highspy.HighsModelStatus.kOptimal:
        return "optimal", float(h.getInfo().objective_function_value)
    if status == highspy.HighsModelStatus.kUnbounded:
        return "unbounded", -INF
    return "infeasible", float("nan")


def feasible_ranges(
    tables: Sequence[Table], *, integer: bool = False, first_narrower_than: float | None = None
) -> list[Exposure]:
    """The smallest and largest value of every suppressed cell of ``tables`` consistent with
    everything published (``inf`` when unbounded above). With ``first_narrower_than``, stop at
    the first cell whose range is narrower than that."""
    system = System(tables)
    n = len(system.index)
    if n == 0:
        return []
    rows, lower, upper = system.rows_and_bounds()
    out = []
    for table in tables:
        for key in sorted(table.suppressed):
            ref = CellRef(table.name, key)
            c = [0.0] * n
            for v in system.rows[ref]:
                c[v] = 1.0
            bounds = []
            for sign in (1.0, -1.0):
                objective = [sign * x for x in c]
                # The relaxation first: it tells "unbounded" from "infeasible" reliably.
                status, value = _solve(objective, rows, lower, upper, n, integer=False)
                if status == "unbounded":
                    bounds.append(float("inf"))
                    continue
                if status == "optimal" and integer:
                    status, value = _solve(objective, rows, lower, upper, n, integer=True)
                if status != "optimal":
                    raise ValueError("the published tables are inconsistent")
                bounds.append(sign * value)
            exposure = Exposure(ref, round(bounds[0], 6), round(bounds[1], 6))
            out.append(exposure)
            if first_narrower_than is not None and (
                exposure.high - exposure.low < first_narrower_than - 1e-6
            ):
                return out
    return out
