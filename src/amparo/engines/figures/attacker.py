"""The differencing attacker: what someone holding every published table of an organisation
can work out about each suppressed cell.

It reads the tables exactly as published (suppressed cells unknown, at least 1), cuts
overlapping periods of different reports into common segments and solves the whole as an
integer linear programme, cell by cell, for the smallest and largest feasible value. A cell
whose smallest and largest values are equal is *recovered*. The tests run it against reports
suppressed by :func:`amparo.engines.figures.suppression.suppress` (nothing recovered) and
against primary suppression alone (cells recovered), so the test can fail.
"""

from __future__ import annotations

from collections.abc import Sequence

from .system import Exposure, Table, feasible_ranges

__all__ = ["attack", "recovered"]


def attack(tables: Sequence[Table], *, integer: bool = True) -> list[Exposure]:
    """The feasible range of every suppressed cell of ``tables``."""
    return feasible_ranges(tables, integer=integer)


def recovered(tables: Sequence[Table], *, integer: bool = True) -> list[Exposure]:
    """The suppressed cells whose value the attacker pins down exactly."""
    return [e for e in attack(tables, integer=integer) if e.high - e.low < 0.5]
