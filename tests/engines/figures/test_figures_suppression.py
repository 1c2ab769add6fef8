"""Suppression against the differencing attacker: primary suppression alone is broken (so the
attacker can fail a test), complementary suppression holds, within a report, across its tables
and across reports of overlapping periods."""

from __future__ import annotations

import itertools
import random
from datetime import date

import pytest

from amparo.engines.figures.attacker import attack, recovered
from amparo.engines.figures.suppression import TOTAL, Table, primary_suppression, suppress

JAN, MAR, APR, JUN = date(2026, 1, 1), date(2026, 3, 31), date(2026, 4, 30), date(2026, 6, 30)


def one_way(name, start, end, counts, dim="platform", population="incidents"):
    cells = {(k,): v for k, v in counts.items()}
    cells[(TOTAL,)] = sum(counts.values())
    return Table(name, population, (dim,), start, end, cells)


def two_way(name, start, end, counts):
    rows = sorted({r for r, _ in counts})
    cols = sorted({c for _, c in counts})
    cells = dict(counts)
    for r in rows:
        cells[(r, TOTAL)] = sum(counts[(r, c)] for c in cols)
    for c in cols:
        cells[(TOTAL, c)] = sum(counts[(r, c)] for r in rows)
    cells[(TOTAL, TOTAL)] = sum(counts.values())
    return Table(name, "incidents", ("platform", "type"), start, end, cells)


def test_primary_suppression_alone_is_broken_by_the_margin():
    table = one_way("a", JAN, MAR, {"facebook": 15, "x": 12, "youtube": 3})
    found = recovered(primary_suppression([table], 10))
    assert [(e.cell.key, e.low) for e in found] == [(("youtube",), 3.0)]


def test_complementary_suppression_hides_a_second_cell():
    table = one_way("a", JAN, MAR, {"facebook": 15, "x": 12, "youtube": 3})
    (safe,) = suppress([table], threshold=10).tables
    assert safe.suppressed == {("x",), ("youtube",)}
    assert recovered([safe]) == []
    ranges = {e.cell.key: (e.low, e.high) for e in attack([safe])}
    assert ranges[("youtube",)] == (1.0, 14.0)


@pytest.mark.parametrize("seed", range(6))
def test_random_two_way_tables_with_cells_of_one_to_nine(seed):
    rng = random.Random(seed)
    platforms, kinds = ["fb", "x", "yt", "tt"], ["harassment", "doxxing", "suspended"]
    counts = {
        (p, k): rng.choice([0, 1, 2, 3, 5, 7, 9, 12, 15, 30])
        for p, k in itertools.product(platforms, kinds)
    }
    table = two_way("r", JAN, MAR, counts)
    naive = primary_suppression([table], 10)
    outcome = suppress([table], threshold=10)
    assert outcome.tables[0].primary <= outcome.tables[0].suppressed
    assert recovered(outcome.tables) == []
    if seed == 0:  # the same tables with primary suppression only give cells away
        assert recovered(naive)


def test_tables_of_one_report_are_checked_together():
    """By platform and by platform and type share their margins: a cell hidden in one must
    not be readable from the other."""
    counts = {("fb", "h"): 20, ("fb", "d"): 4, ("x", "h"): 15, ("x", "d"): 11}
    both = [
        two_way("r:pt", JAN, MAR, counts),
        one_way("r:p", JAN, MAR, {"fb": 24, "x": 26}),
        one_way("r:t", JAN, MAR, {"h": 35, "d": 15}, dim="type"),
    ]
    assert recovered(primary_suppression(both, 10))
    assert recovered(suppress(both, threshold=10).tables) == []


def test_differencing_recovers_a_cell_unless_the_history_is_taken_into_account():
    first = one_way("q1", JAN, MAR, {"facebook": 15, "x": 12})
    half = one_way("h1", JAN, JUN, {"facebook": 40, "x": 12, "youtube": 10})
    new = one_way("jan-apr", JAN, APR, {"facebook": 18, "x": 12, "youtube": 3})
    naive = suppress([new], threshold=10).tables
    assert [e.cell.key for e in recovered([first, half, *naive])] == [("x",), ("youtube",)]
    assert [e.low for e in recovered([first, half, *naive])] == [12.0, 3.0]
    safe = suppress([new], threshold=10, history=[first, half]).tables
    # X is known from the history (12 in both), so it protects nothing: Facebook hides instead.
    assert safe[0].suppressed == {("facebook",), ("youtube",)}
    assert recovered([first, half, *safe]) == []


def test_an_earlier_reports_hidden_cell_stays_hidden():
    """The earlier report hid YouTube (3) and X (12); a later report of a sub-period must not
    publish what pins them."""
    earlier = suppress([one_way("q1", JAN, MAR, {"facebook": 15, "x": 12, "youtube": 3})]).tables
    later = one_way("jan", JAN, date(2026, 1, 31), {"facebook": 15, "x": 12, "youtube": 3})
    naive = suppress([later], threshold=10).tables
    safe = suppress([later], threshold=10, history=earlier).tables
    assert recovered([*earlier, *safe]) == []
    assert naive[0].suppressed == safe[0].suppressed  # same cells, consistently hidden


def test_monthly_tables_are_tied_to_the_period_total():
    cells = {("2026-01",): 20, ("2026-02",): 4, ("2026-03",): 15, (TOTAL,): 39}
    months = Table("m", "incidents", ("month",), JAN, MAR, cells)
    total = one_way("p", JAN, MAR, {"fb": 39})
    assert recovered(primary_suppression([months, total], 10))
    assert recovered(suppress([months, total], threshold=10).tables) == []


def test_the_threshold_must_be_positive():
    with pytest.raises(ValueError, match="threshold"):
        primary_suppression([one_way("a", JAN, MAR, {"x": 1})], 0)
