"""The shapes a scorecard is made of: an indicator is a table of counts (rows: a breakdown such
as channels; columns: what happened), a rate read from some columns over others, and optionally
a median duration. Kept apart from the queries so that publication, comparison and the CSV all
read the same thing."""

from __future__ import annotations

from dataclasses import dataclass, field
from statistics import median
from typing import Any

from amparo.scorecards.suppression import DEFAULT_THRESHOLD, suppress


@dataclass
class Row:
    key: str
    label: str
    counts: dict[str, int]
    durations: list[float] = field(default_factory=list)


@dataclass
class Indicator:
    code: str  # stable across periods and platforms: the key of a comparison
    action: int
    title: str
    definition: str
    numerator: str
    denominator: str
    columns: list[tuple[str, str]]  # (code, label)
    rate_of: tuple[str, ...]  # columns counted in the numerator
    rate_over: tuple[str, ...]  # columns counted in the denominator (the rest is apart)
    rows: list[Row]
    duration: str = ""  # what the median measures, empty when there is none
    unit: str = ""  # "hours" or "days"
    facts: list[str] = field(default_factory=list)  # sentences that are not counts of cases

    def total(self) -> Row:
        counts = {code: sum(r.counts.get(code, 0) for r in self.rows) for code, _l in self.columns}
        durations = [d for r in self.rows for d in r.durations]
        return Row("all", "", counts, durations)

    def summary(self, threshold: int = DEFAULT_THRESHOLD) -> dict[str, Any]:
        return summarise(self.total(), self, threshold)


def summarise(row: Row, indicator: Indicator, threshold: int) -> dict[str, Any]:
    """Numerator, denominator (``n``), rate, median and whether ``n`` is small, for one row."""
    num = sum(row.counts.get(c, 0) for c in indicator.rate_of)
    den = sum(row.counts.get(c, 0) for c in indicator.rate_over)
    apart = sum(v for c, v in row.counts.items() if c not in indicator.rate_over)
    return {
        "numerator": num,
        "n": den,
        "apart": apart,
        "rate": num / den if den else None,
        "median": round(median(row.durations), 1) if row.durations else None,
        "median_n": len(row.durations),
        "small": den < threshold,
    }


def published(indicator: Indicator, threshold: int) -> dict[str, Any]:
    """The indicator as it may be published: counts under ``threshold`` withheld with
    complementary suppression (``suppression.suppress``); a rate only where its numerator and
    denominator are both published; a median only over at least ``threshold`` durations."""
    codes = [c for c, _l in indicator.columns]
    table = suppress([[r.counts.get(c, 0) for c in codes] for r in indicator.rows], threshold)

    def shown(values: list[int | None], row: Row, total: int | None) -> dict[str, Any]:
        by_code = dict(zip(codes, values, strict=True))
        parts_num = [by_code[c] for c in indicator.rate_of]
        parts_den = [by_code[c] for c in indicator.rate_over]
        apart = [by_code[c] for c in codes if c not in indicator.rate_over]
        num = None if None in parts_num else sum(v for v in parts_num if v is not None)
        den = None if None in parts_den else sum(v for v in parts_den if v is not None)
        if den is None and total is not None and None not in apart:
            # The row's total less what is counted apart: both published, so no secret.
            den = total - sum(v for v in apart if v is not None)
        return {
            "label": row.label,
            "key": row.key,
            "cells": values,
            "numerator": num,
            "n": den,
            "rate": num / den if num is not None and den else None,
            "median": round(median(row.durations), 1) if len(row.durations) >= threshold else None,
        }

    rows = [shown(table.cells[i], r, table.row_totals[i]) for i, r in enumerate(indicator.rows)]
    total = shown(table.column_totals, indicator.total(), table.total) if indicator.rows else None
    return {"rows": rows, "total": total, "row_totals": table.row_totals, "grand": table.total}


def lines(indicator: Indicator, threshold: int = DEFAULT_THRESHOLD) -> list[dict[str, Any]]:
    """Each row and the total with its counts in column order and its summary (exact figures,
    for staff inside the app; small ``n`` flagged, never hidden)."""
    rows = [*indicator.rows, indicator.total()] if indicator.rows else []
    out = []
    for i, row in enumerate(rows):
        s = summarise(row, indicator, threshold)
        out.append(
            {
                "label": row.label,
                "is_total": i == len(rows) - 1,
                "cells": [row.counts.get(c, 0) for c, _l in indicator.columns],
                "percent": None if s["rate"] is None else round(s["rate"] * 100),
                **s,
            }
        )
    return out
