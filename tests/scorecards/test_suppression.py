"""Suppression of published counts, attacked by an independent solver: a linear programme that
knows every published cell and total and that counts are not negative, and computes the
smallest and largest value each withheld cell can take. No withheld cell may be pinned."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from amparo.scorecards.suppression import suppress


def attack(published, rows: int, cols: int) -> list[tuple[int, int, float, float]]:
    """(row, col, min, max) of each withheld position of the table with its margins."""
    grid = [[*list(r), t] for r, t in zip(published.cells, published.row_totals, strict=True)]
    grid.append([*list(published.column_totals), published.total])
    unknown = [(r, c) for r in range(rows + 1) for c in range(cols + 1) if grid[r][c] is None]
    if not unknown:
        return []
    index = {pos: i for i, pos in enumerate(unknown)}
    eqs, rhs = [], []

    def line(members, total):
        eq, known = np.zeros(len(unknown)), 0.0
        for sign, pos in [(1, p) for p in members] + [(-1, total)]:
            if pos in index:
                eq[index[pos]] += sign
            else:
                known += sign * grid[pos[0]][pos[1]]
        eqs.append(eq)
        rhs.append(-known)

    for r in range(rows + 1):
        line([(r, c) for c in range(cols)], (r, cols))
    for c in range(cols + 1):
        line([(r, c) for r in range(rows)], (rows, c))
    out = []
    for pos, i in index.items():
        cost = np.zeros(len(unknown))
        cost[i] = 1
        lo = linprog(cost, A_eq=eqs, b_eq=rhs, bounds=(0, None)).fun
        top = linprog(-cost, A_eq=eqs, b_eq=rhs, bounds=(0, None))
        hi = float("inf") if top.status == 3 else -top.fun  # 3: unbounded
        out.append((pos[0], pos[1], lo, hi))
    return out


def test_one_small_cell_takes_a_rectangle_with_it():
    table = suppress([[3, 20, 30], [40, 50, 60]])
    assert table.cells[0][0] is None
    withheld = sum(v is None for row in table.cells for v in row)
    assert withheld == 4  # a rectangle: each row and column keeps two unknowns
    assert table.total == 203
    assert all(hi - lo >= 1 for _r, _c, lo, hi in attack(table, 2, 3))


def test_primary_suppression_alone_would_be_recovered_by_the_attacker():
    """The attacker is real: with only the small cell withheld it finds it exactly."""
    from amparo.scorecards.suppression import Suppressed

    naive = Suppressed([[None, 20], [40, 50]], [23, 90], [43, 70], 113)
    ((_r, _c, lo, hi),) = attack(naive, 2, 2)
    assert lo == hi == 3


def test_zero_is_published_and_nothing_small_is():
    table = suppress([[0, 20], [40, 15]])
    assert table.cells == [[0, 20], [40, 15]]
    one_row = suppress([[3, 15, 0]])
    assert one_row.cells == [[None, None, 0]] and one_row.row_totals == [18]


@settings(max_examples=60, deadline=None)
@given(
    st.integers(1, 4).flatmap(
        lambda cols: st.lists(
            st.lists(st.integers(0, 40), min_size=cols, max_size=cols), min_size=1, max_size=4
        )
    )
)
def test_no_withheld_count_can_be_worked_out(cells):
    rows, cols = len(cells), len(cells[0])
    table = suppress(cells, threshold=10)
    flat = [v for row in table.cells for v in row] + table.row_totals + table.column_totals
    for original, shown in zip(
        [v for row in cells for v in row] + [sum(r) for r in cells], flat, strict=False
    ):
        assert shown is None or shown == original
        assert shown is None or not 0 < shown < 10
    for r, c, lo, hi in attack(table, rows, cols):
        assert hi - lo > 0.5, (cells, r, c, lo, hi)
