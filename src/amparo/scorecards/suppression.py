"""Small-count suppression of a published count table, with complementary suppression.

Django-free. The rule (docs/scorecard.md, "Suppression"): a count of people's cases under the
threshold (default 10) is never published (primary suppression), and more cells are withheld
until no withheld cell can be recomputed exactly from what is published: the other cells of its
row and column and the row, column and grand totals (complementary suppression).

"Recomputed" is checked, not assumed: the published table is a linear system (every row and
column adds up to its total); a withheld cell is exposed when every solution of that system
gives it the same value, i.e. when its unit vector lies in the row space of the constraint
matrix restricted to the withheld cells. While one is exposed, the smallest published cell of
its row or column is withheld too. Zero counts are published (a zero tells nothing about a
person), and a zero is withheld to protect a cell only when nothing else can.

Until the accountability engine (``amparo.engines.figures``) offers its suppression function,
the scorecard and the takedown figures use this one.
"""

from __future__ import annotations

from collections.abc import Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

DEFAULT_THRESHOLD = 10


@dataclass(frozen=True)
class Suppressed:
    """A table as published: ``cells[r][c]``, ``row_totals[r]``, ``column_totals[c]`` and
    ``total``, each an ``int`` or ``None`` where withheld."""

    cells: list[list[int | None]]
    row_totals: list[int | None]
    column_totals: list[int | None]
    total: int | None

    def withheld(self) -> int:
        flat = [v for row in self.cells for v in row] + self.row_totals + self.column_totals
        return sum(v is None for v in [*flat, self.total])


def _grid(cells: Sequence[Sequence[int]]) -> list[list[int]]:
    """The table with its margins: row ``R`` holds the column totals, column ``C`` the row
    totals, ``[R][C]`` the grand total."""
    rows, cols = len(cells), len(cells[0]) if cells else 0
    grid = [[int(cells[r][c]) for c in range(cols)] + [sum(cells[r])] for r in range(rows)]
    grid.append([sum(cells[r][c] for r in range(rows)) for c in range(cols)])
    grid[-1].append(sum(grid[-1]))
    return grid


def _constraints(rows: int, cols: int) -> np.ndarray:
    """One equation per line of the grid (cells minus the total equal zero)."""
    import numpy as np  # only when a table is published: web processes need not load NumPy

    width = (rows + 1) * (cols + 1)
    out = []
    for r in range(rows + 1):
        eq = np.zeros(width)
        for c in range(cols):
            eq[r * (cols + 1) + c] = 1
        eq[r * (cols + 1) + cols] = -1
        out.append(eq)
    for c in range(cols + 1):
        eq = np.zeros(width)
        for r in range(rows):
            eq[r * (cols + 1) + c] = 1
        eq[rows * (cols + 1) + c] = -1
        out.append(eq)
    return np.array(out)


def exposed(rows: int, cols: int, hidden: set[tuple[int, int]]) -> set[tuple[int, int]]:
    """The withheld positions of the grid whose value the published ones determine exactly."""
    import numpy as np

    if not hidden:
        return set()
    order = sorted(hidden)
    index = [r * (cols + 1) + c for r, c in order]
    matrix = _constraints(rows, cols)[:, index]
    # The null space of the withheld part: a position is free iff some null vector moves it.
    _u, s, vt = np.linalg.svd(matrix)
    rank = int((s > 1e-9).sum())
    null = vt[rank:]
    return {
        pos for i, pos in enumerate(order) if null.shape[0] == 0 or np.abs(null[:, i]).max() < 1e-9
    }


def _mirrored(rows: int, cols: int, hidden: set[tuple[int, int]]) -> set[tuple[int, int]]:
    """In a one-row (one-column) table the column (row) totals are the cells themselves: hiding
    one hides the other."""
    out = set(hidden)
    if rows == 1:
        out |= {(1 - r, c) for r, c in hidden if c < cols}
    if cols == 1:
        out |= {(r, 1 - c) for r, c in hidden if r < rows}
    return out


def suppress(cells: Sequence[Sequence[int]], threshold: int = DEFAULT_THRESHOLD) -> Suppressed:
    """Publishable version of ``cells`` (a rectangular table of counts) with its margins."""
    rows = len(cells)
    cols = len(cells[0]) if rows else 0
    if rows == 0 or cols == 0:
        return Suppressed([[] for _ in range(rows)], [0] * rows, [0] * cols, 0)
    grid = _grid(cells)
    positions = [(r, c) for r in range(rows + 1) for c in range(cols + 1)]
    hidden = _mirrored(rows, cols, {(r, c) for r, c in positions if 0 < grid[r][c] < threshold})

    def cost(option: AbstractSet[tuple[int, int]]) -> tuple[int, int, int]:
        values = [grid[r][c] for r, c in option]
        return (sum(v == 0 for v in values), len(option), sum(values))

    while True:
        bare = exposed(rows, cols, hidden)
        if not bare:
            break
        r, c = min(bare)
        options: list[set[tuple[int, int]]] = []
        # The classic choice: a rectangle of withheld cells through the exposed one.
        for r2 in range(rows + 1):
            for c2 in range(cols + 1):
                if r2 != r and c2 != c:
                    options.append({(r, c2), (r2, c), (r2, c2)} - hidden)
        singles = [{p} for p in positions if (p[0] == r or p[1] == c) and p not in hidden]
        options += singles
        protecting = [
            o
            for o in options
            if o and (r, c) not in exposed(rows, cols, _mirrored(rows, cols, hidden | o))
        ]
        pool = protecting or singles
        if not pool:  # cannot happen: an exposed cell always has a published neighbour
            raise RuntimeError("suppression could not protect a cell")
        hidden = _mirrored(rows, cols, hidden | min(pool, key=lambda o: (cost(o), sorted(o))))

    def value(r: int, c: int) -> int | None:
        return None if (r, c) in hidden else grid[r][c]

    return Suppressed(
        cells=[[value(r, c) for c in range(cols)] for r in range(rows)],
        row_totals=[value(r, cols) for r in range(rows)],
        column_totals=[value(rows, c) for c in range(cols)],
        total=value(rows, cols),
    )
