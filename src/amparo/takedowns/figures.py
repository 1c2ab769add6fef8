"""Figures of the takedown register: how often platforms complied with government demands,
per platform, country and period (during heightened-risk periods such as an election, against
the baseline), exact for staff and suppressed for publication.

The compliance rate is complied (fully, partly or by blocking in the country) over the demands
whose response is known (complied or refused); demands whose response is not known are counted
apart. A demand counts in the period of the day it was made.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from datetime import date
from typing import Any

from django.utils.translation import gettext as _

from amparo.core.platforms import platform_name
from amparo.scorecards.suppression import DEFAULT_THRESHOLD
from amparo.takedowns.models import COMPLIED, KNOWN, Demand, Response

RESPONSES = [r.value for r in Response]


def compliance_rows(organisation: Any, start: date, end: date) -> list[dict[str, Any]]:
    """Counts of demands made from ``start`` to ``end`` (both included), one row per platform,
    country affected, country of the authority and response: keys ``platform``, ``country``,
    ``authority_country``, ``response`` and ``count``. Exact counts: whoever publishes them
    applies small-count suppression (the transparency-report composer does)."""
    counts: Counter[tuple[str, str, str, str]] = Counter(
        Demand.objects.filter(
            organisation=organisation, demanded_on__gte=start, demanded_on__lte=end
        ).values_list("platform", "country", "authority_country", "response")
    )
    return [
        {"platform": p, "country": c, "authority_country": a, "response": r, "count": n}
        for (p, c, a, r), n in sorted(counts.items())
    ]


def _during(organisation: Any, start: date, end: date) -> Counter[tuple[str, str]]:
    found: Counter[tuple[str, str]] = Counter()
    for risk, response in Demand.objects.filter(
        organisation=organisation, demanded_on__gte=start, demanded_on__lte=end
    ).values_list("risk_period_id", "response"):
        found[("risk" if risk else "baseline", response)] += 1
    return found


def breakdown(organisation: Any, start: date, end: date, by: str) -> dict[str, Any]:
    """A table of counts, rows ``by`` (platform, authority_country or period), columns the
    responses, with the compliance rate of each row (exact)."""
    if by == "period":
        raw = _during(organisation, start, end)
        keys = ["risk", "baseline"]
        labels = {
            "risk": _("During heightened-risk periods"),
            "baseline": _("Baseline (outside them)"),
        }
    else:
        raw = Counter()
        for row in compliance_rows(organisation, start, end):
            raw[(row[by], row["response"])] += row["count"]
        keys = sorted({k for k, _r in raw})
        labels = {k: platform_name(k) if by == "platform" else k for k in keys}
    rows = []
    for key in keys:
        counts = [raw.get((key, r), 0) for r in RESPONSES]
        if by == "period" or any(counts):
            rows.append({"key": key, "label": labels[key], "counts": counts})
    return {"by": by, "columns": RESPONSES, "rows": rows}


def rate(counts: list[int | None]) -> float | None:
    """Complied over known, from counts in :data:`RESPONSES` order; None when a needed count
    is withheld or nothing is known."""
    by = dict(zip(RESPONSES, counts, strict=True))
    parts = [by[r] for r in KNOWN]
    if None in parts:
        return None
    known = sum(v for v in parts if v is not None)
    complied = sum(by[r] or 0 for r in COMPLIED)
    return complied / known if known else None


def exact(organisation: Any, start: date, end: date, by: str) -> dict[str, Any]:
    table = breakdown(organisation, start, end, by)
    for row in table["rows"]:
        row["rate"] = rate(row["counts"])
        row["n"] = sum(row["counts"][RESPONSES.index(r)] for r in KNOWN)
    return table


BREAKDOWNS = ("platform", "authority_country", "period")


def published_tables(
    organisation: Any, start: date, end: date, threshold: int = DEFAULT_THRESHOLD
) -> list[dict[str, Any]]:
    """The three tables (:data:`BREAKDOWNS`) as they may be published, suppressed together by
    the accountability engine (``amparo.engines.figures.suppression``): counts under
    ``threshold`` withheld, and more until no withheld count can be worked out from anything
    published in them, margins and the other two tables included (they count the same demands).
    A rate is shown only where every count it needs is published."""
    from amparo.engines.figures.suppression import TOTAL, Table, suppress

    raw = [breakdown(organisation, start, end, by) for by in BREAKDOWNS]
    tables = []
    for table in raw:
        cells: dict[tuple[str, ...], int] = {}
        for row in table["rows"]:
            for response, value in zip(RESPONSES, row["counts"], strict=True):
                cells[(row["key"], response)] = value
            cells[(row["key"], TOTAL)] = sum(row["counts"])
        for i, response in enumerate(RESPONSES):
            cells[(TOTAL, response)] = sum(r["counts"][i] for r in table["rows"])
        cells[(TOTAL, TOTAL)] = sum(cells[(TOTAL, r)] for r in RESPONSES)
        tables.append(
            Table(
                name=f"takedowns.{table['by']}",
                population="takedown_demands",
                dims=(table["by"], "response"),
                start=start,
                end=end,
                cells=cells,
            )
        )
    done = suppress(tables, threshold=threshold).tables
    out = []
    for table, hidden in zip(raw, done, strict=True):
        rows = []
        for row in table["rows"]:
            counts = [hidden.published((row["key"], r)) for r in RESPONSES]
            total = hidden.published((row["key"], TOTAL))
            rows.append({**row, "counts": counts, "total": total, "rate": rate(counts)})
        column_totals = [hidden.published((TOTAL, r)) for r in RESPONSES]
        out.append(
            {
                **table,
                "rows": rows,
                "column_totals": column_totals,
                "total": hidden.published((TOTAL, TOTAL)),
                "total_rate": rate(column_totals),
            }
        )
    return out


def published(
    organisation: Any, start: date, end: date, by: str, threshold: int = DEFAULT_THRESHOLD
) -> dict[str, Any]:
    """One of :func:`published_tables`."""
    return published_tables(organisation, start, end, threshold)[BREAKDOWNS.index(by)]


def published_csv(
    organisation: Any, start: date, end: date, threshold: int = DEFAULT_THRESHOLD
) -> str:
    """The three published tables in one CSV (withheld counts empty, flagged)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        ["period_start", "period_end", "breakdown", "row", "response", "count", "withheld"]
    )
    for table in published_tables(organisation, start, end, threshold):
        by = table["by"]
        lines = [(r["key"], r["counts"], r["total"]) for r in table["rows"]]
        lines.append(("all", table["column_totals"], table["total"]))
        for key, cells, total in lines:
            for response, value in [*zip(RESPONSES, cells, strict=True), ("all", total)]:
                writer.writerow(
                    [
                        start.isoformat(),
                        end.isoformat(),
                        by,
                        key,
                        response,
                        "" if value is None else value,
                        "yes" if value is None else "no",
                    ]
                )
    return out.getvalue()
