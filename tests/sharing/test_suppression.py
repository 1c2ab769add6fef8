"""Small-count suppression: no count under the threshold is shown, and no hidden count can be
recomputed from one row or column and its total."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from amparo.sharing.suppression import suppress


def _lines(table):  # type: ignore[no-untyped-def]
    grid = [[*cells, total] for cells, total in zip(table.cells, table.row_totals, strict=True)]
    grid.append([*table.column_totals, table.total])
    return grid + [list(col) for col in zip(*grid, strict=True)]


def test_a_single_small_cell_takes_another_with_it() -> None:
    table = suppress(
        ["fb", "x"],
        ["doxxing", "threat"],
        {("fb", "doxxing"): 3, ("fb", "threat"): 40, ("x", "doxxing"): 30, ("x", "threat"): 50},
    )
    assert table.cells[0][0] is None
    for line in _lines(table):
        assert sum(v is None for v in line) != 1


@settings(max_examples=200, deadline=None)
@given(
    st.dictionaries(
        st.tuples(st.sampled_from("abc"), st.sampled_from("xyz")), st.integers(0, 40), max_size=9
    )
)
def test_no_line_has_exactly_one_hidden_entry_and_no_small_count_shows(counts) -> None:  # type: ignore[no-untyped-def]
    rows, columns = sorted({r for r, _ in counts}), sorted({c for _, c in counts})
    table = suppress(rows, columns, counts, 10)
    for line in _lines(table):
        assert sum(v is None for v in line) != 1
        assert all(v is None or v == 0 or v >= 10 for v in line)
