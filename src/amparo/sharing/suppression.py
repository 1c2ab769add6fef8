"""Small-count suppression of a two-way table with its margins. Imports nothing from Django.

Primary suppression: every count from 1 to ``threshold - 1`` is shown as "<threshold".
Complementary suppression: the table is read with its row totals, column totals and grand
total as linear equations (each row's cells add up to its total, and so on); a line with
exactly one hidden entry would let it be recomputed by subtraction, so another entry of that
line is hidden too (the smallest one, preferring inner cells to totals), until no line has
exactly one hidden entry. Zeros are shown (a zero discloses no one).

This blocks recomputation from a single line. It is not a full audit against every linear
combination of lines (as tau-Argus does); with few categories the coordinator's table is small
and the rule is the one statistical offices use for published tables.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Table:
    rows: list[str]
    columns: list[str]
    # cells[r][c], then the row totals, column totals and grand total: a count or None (hidden)
    cells: list[list[int | None]]
    row_totals: list[int | None]
    column_totals: list[int | None]
    total: int | None


def suppress(
    rows: list[str], columns: list[str], counts: dict[tuple[str, str], int], threshold: int = 10
) -> Table:
    n, m = len(rows), len(columns)
    # The augmented matrix: (n+1) x (m+1), the last row and column being the totals.
    grid = [[counts.get((r, c), 0) for c in columns] for r in rows]
    for row in grid:
        row.append(sum(row))
    grid.append([sum(grid[i][j] for i in range(n)) for j in range(m + 1)])
    hidden = [[0 < grid[i][j] < threshold for j in range(m + 1)] for i in range(n + 1)]

    def lines() -> list[list[tuple[int, int]]]:
        found = [[(i, j) for j in range(m + 1)] for i in range(n + 1)]
        found += [[(i, j) for i in range(n + 1)] for j in range(m + 1)]
        return found

    changed = True
    while changed:
        changed = False
        for line in lines():
            secret = [p for p in line if hidden[p[0]][p[1]]]
            if len(secret) != 1:
                continue
            shown = [p for p in line if not hidden[p[0]][p[1]] and grid[p[0]][p[1]] > 0]
            if not shown:
                # Only zeros beside it: its value is the sum of zeros' line total; hide them.
                shown = [p for p in line if not hidden[p[0]][p[1]]]
            if not shown:
                continue
            shown.sort(key=lambda p: (p[0] == n or p[1] == m, grid[p[0]][p[1]]))
            i, j = shown[0]
            hidden[i][j] = True
            changed = True

    def value(i: int, j: int) -> int | None:
        return None if hidden[i][j] else grid[i][j]

    return Table(
        rows=rows,
        columns=columns,
        cells=[[value(i, j) for j in range(m)] for i in range(n)],
        row_totals=[value(i, m) for i in range(n)],
        column_totals=[value(n, j) for j in range(m)],
        total=value(n, m),
    )
