"""Transparency reports: the tables a coordinator chose for a period, made safe to publish.

Each table counts one population (incidents, mentions of at-risk groups, escalations,
government takedown demands) by one or two dimensions, with its margins. With suppression,
``amparo.engines.figures.suppression.suppress`` hides small counts and enough other cells that
nothing hidden can be worked out from this report and every earlier published report of the
organisation (kept as published in ``PublishedReport.tables``). With differential privacy, each
table's finest cells get OpenDP noise and the budget is stated.

Rates are derived from the published cells only: a rate whose numerator or denominator is
suppressed is suppressed too, so it cannot reveal a hidden count.
"""

from __future__ import annotations

import csv
import io
import itertools
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from importlib import util
from statistics import median
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from amparo.accountability import data, labels
from amparo.accountability.data import Filters
from amparo.accountability.models import Method, PublishedReport
from amparo.engines.figures import privacy
from amparo.engines.figures.suppression import TOTAL, Table, suppress
from amparo.escalations.models import ACTIONED, Outcome


@dataclass(frozen=True)
class Kind:
    code: str
    title: Promise
    population: str
    dims: tuple[str, ...]
    margins: bool = True


KINDS: dict[str, Kind] = {
    k.code: k
    for k in (
        Kind("by_month", gettext_lazy("Incidents by month"), "incidents", ("month",)),
        Kind("by_type", gettext_lazy("Incidents by type"), "incidents", ("type",)),
        Kind("by_platform", gettext_lazy("Incidents by platform"), "incidents", ("platform",)),
        Kind("by_country", gettext_lazy("Incidents by country"), "incidents", ("country",)),
        Kind("by_language", gettext_lazy("Incidents by language"), "incidents", ("language",)),
        Kind("by_gender", gettext_lazy("Incidents by gender"), "incidents", ("gender",)),
        Kind(
            "by_platform_type",
            gettext_lazy("Incidents by platform and type"),
            "incidents",
            ("platform", "type"),
        ),
        Kind(
            "by_identity",
            gettext_lazy("Incidents by at-risk group (a report may name several)"),
            "identity_mentions",
            ("identity",),
            margins=False,
        ),
        Kind(
            "escalation_outcomes",
            gettext_lazy("Escalations by platform and outcome"),
            "escalations",
            ("platform", "outcome"),
        ),
        Kind(
            "escalation_timing",
            gettext_lazy("Escalations by platform and time to first answer"),
            "escalations",
            ("platform", "timing"),
        ),
        Kind(
            "takedowns",
            gettext_lazy("Government takedown demands by platform and platform response"),
            "takedown_demands",
            ("platform", "response"),
        ),
    )
}


def takedowns_available() -> bool:
    return util.find_spec("amparo.takedowns") is not None and (
        util.find_spec("amparo.takedowns.figures") is not None
    )


def available_kinds() -> list[Kind]:
    return [k for k in KINDS.values() if k.code != "takedowns" or takedowns_available()]


@dataclass
class Spec:
    title: str
    start: date
    end: date
    kinds: list[str]
    method: str = Method.SUPPRESSION
    threshold: int = 10
    epsilon: float = 1.0
    public: bool = False

    def as_json(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "kinds": self.kinds,
            "method": self.method,
            "threshold": self.threshold,
            "epsilon": self.epsilon if self.method == Method.DIFFERENTIAL_PRIVACY else None,
            "public": self.public,
        }


def _months(start: date, end: date) -> list[str]:
    out, day = [], start.replace(day=1)
    while day <= end:
        out.append(day.strftime("%Y-%m"))
        day = (day + timedelta(days=32)).replace(day=1)
    return out


def _cells(
    records: Iterable[tuple[str, ...]], dims: tuple[str, ...], margins: bool, months: list[str]
) -> dict[tuple[str, ...], int]:
    counts = Counter(records)
    axes: list[list[str]] = []
    for i, d in enumerate(dims):
        if d == "month":
            axes.append(months)
        else:
            axes.append(sorted({k[i] for k in counts}))
    cells: dict[tuple[str, ...], int] = {}
    for combo in itertools.product(*axes):
        cells[combo] = counts.get(combo, 0)
    if margins:
        for mask in itertools.product((False, True), repeat=len(dims)):
            if not any(mask):
                continue
            for combo in itertools.product(
                *[[TOTAL] if m else a for m, a in zip(mask, axes, strict=True)]
            ):
                cells[combo] = sum(
                    n
                    for k, n in cells.items()
                    if TOTAL not in k
                    and all(c in (TOTAL, v) for c, v in zip(combo, k, strict=True))
                )
    return cells


def _records(organisation: Any, spec: Spec) -> dict[str, Callable[[], list[tuple[str, ...]]]]:
    f = Filters(spec.start, spec.end)
    cache: dict[str, Any] = {}

    def incidents() -> list[data.Incident]:
        if "i" not in cache:
            cache["i"] = data.incidents(organisation, f)
        return cache["i"]

    def sent() -> list[data.Sent]:
        if "e" not in cache:
            cache["e"] = data.escalations(organisation, f)
        return cache["e"]

    def takedowns() -> list[tuple[str, ...]]:
        from amparo.takedowns import figures as takedown_figures  # optional module

        out: list[tuple[str, ...]] = []
        for row in takedown_figures.compliance_rows(organisation, spec.start, spec.end):
            out += [(str(row["platform"]), str(row["response"]))] * int(row["count"])
        return out

    return {
        "by_month": lambda: [(r.day.strftime("%Y-%m"),) for r in incidents()],
        "by_type": lambda: [(r.incident_type,) for r in incidents()],
        "by_platform": lambda: [(r.platform,) for r in incidents()],
        "by_country": lambda: [(r.country,) for r in incidents()],
        "by_language": lambda: [(r.language,) for r in incidents()],
        "by_gender": lambda: [(r.gender,) for r in incidents()],
        "by_platform_type": lambda: [(r.platform, r.incident_type) for r in incidents()],
        "by_identity": lambda: [(i,) for r in incidents() for i in r.identities],
        "escalation_outcomes": lambda: [(s.platform, s.outcome or "pending") for s in sent()],
        "escalation_timing": lambda: [(s.platform, s.timing) for s in sent()],
        "takedowns": takedowns,
        "_hours": lambda: [(s.platform, str(s.hours)) for s in sent() if s.hours is not None],
    }


@dataclass
class Composed:
    spec: Spec
    tables: list[Table]
    kinds: list[Kind]
    scale: float | None = None
    derived: list[dict[str, Any]] = field(default_factory=list)
    complementary: int = 0

    def suppressed_count(self) -> int:
        return sum(len(t.suppressed) for t in self.tables)


def history(organisation: Any) -> list[Table]:
    """Every table the organisation published with suppression, as published (a suppressed
    cell's value is unknown: -1 here, never used)."""
    out = []
    for report in PublishedReport.objects.filter(
        organisation=organisation, method=Method.SUPPRESSION
    ).order_by("published_at"):
        out += tables_of(report.tables)
    return out


def tables_of(stored: list[dict[str, Any]]) -> list[Table]:
    out = []
    for t in stored:
        cells = {tuple(k): (-1 if v is None else int(v)) for k, v in t["cells"]}
        out.append(
            Table(
                name=t["name"],
                population=t["population"],
                dims=tuple(t["dims"]),
                start=date.fromisoformat(t["start"]),
                end=date.fromisoformat(t["end"]),
                cells=cells,
                suppressed=frozenset(tuple(k) for k, v in t["cells"] if v is None),
            )
        )
    return out


def stored(tables: list[Table], kinds: list[Kind]) -> list[dict[str, Any]]:
    return [
        {
            "code": kind.code,
            "name": t.name,
            "population": t.population,
            "dims": list(t.dims),
            "start": t.start.isoformat(),
            "end": t.end.isoformat(),
            "cells": [[list(k), t.published(k)] for k in t.cells],
        }
        for t, kind in zip(tables, kinds, strict=True)
    ]


def compose(organisation: Any, spec: Spec, *, name: str = "draft") -> Composed:
    """The report's tables, suppressed (or noised) and checked against the organisation's
    earlier reports. ``name`` prefixes table names (the report's id once published)."""
    if spec.end < spec.start:
        raise ValueError(_("The period ends before it starts."))
    if spec.threshold < 2:
        raise ValueError(_("The threshold must be at least 2."))
    kinds = [KINDS[c] for c in spec.kinds if c in KINDS and KINDS[c] in available_kinds()]
    if not kinds:
        raise ValueError(_("Choose at least one table."))
    records = _records(organisation, spec)
    months = _months(spec.start, spec.end)
    raw = [
        Table(
            name=f"{name}:{k.code}",
            population=k.population,
            dims=k.dims,
            start=spec.start,
            end=spec.end,
            cells=_cells(records[k.code](), k.dims, k.margins, months),
        )
        for k in kinds
    ]
    composed = Composed(spec=spec, tables=raw, kinds=kinds)
    if spec.method == Method.DIFFERENTIAL_PRIVACY:
        composed.scale = privacy.scale_for(spec.epsilon, len(raw))
        noised = []
        for t, k in zip(raw, kinds, strict=True):
            finest = {key: v for key, v in t.cells.items() if TOTAL not in key}
            noisy = privacy.noisy_counts(finest, scale=composed.scale)
            months_ = months if "month" in k.dims else []
            records_ = [key for key, v in noisy.items() for _n in range(v)]
            cells = _cells(records_, k.dims, k.margins, months_)
            for key in finest:  # keep zero rows the noise emptied
                cells.setdefault(key, 0)
            noised.append(Table(t.name, t.population, t.dims, t.start, t.end, cells))
        composed.tables = noised
    else:
        outcome = suppress(raw, threshold=spec.threshold, history=history(organisation))
        composed.tables = outcome.tables
        composed.complementary = len(outcome.complementary)
    composed.derived = _derived(composed, records["_hours"]())
    return composed


def _derived(composed: Composed, hours: list[tuple[str, ...]]) -> list[dict[str, Any]]:
    """Rates per platform from the published escalation cells (suppressed when any cell
    they need is), and the median hours to a first answer when enough were answered."""
    by_code = {k.code: t for t, k in zip(composed.tables, composed.kinds, strict=True)}
    timing, outcomes = by_code.get("escalation_timing"), by_code.get("escalation_outcomes")
    platforms = sorted(
        {k[0] for t in (timing, outcomes) if t is not None for k in t.cells if k[0] != TOTAL}
    )
    out = []
    per_platform: dict[str, list[float]] = {}
    for platform, value in hours:
        per_platform.setdefault(platform, []).append(float(value))
    for p in platforms:
        row: dict[str, Any] = {"platform": p}
        if timing is not None:
            within, total = timing.published((p, "within_72h")), timing.published((p, TOTAL))
            row["share_72h"] = within / total if within is not None and total else None
            answered = per_platform.get(p, [])
            ok = (
                composed.spec.method == Method.SUPPRESSION
                and len(answered) >= composed.spec.threshold
            )
            row["median_hours"] = round(median(answered), 1) if ok else None
        if outcomes is not None:
            needed = [k for k in outcomes.cells if k[0] == p and k[1] != TOTAL]
            published = {k[1]: outcomes.published(k) for k in needed}
            if all(v is not None for v in published.values()):
                values = {o: v or 0 for o, v in published.items()}
                decided = sum(
                    v for o, v in values.items() if o not in ("pending", Outcome.NO_RESPONSE)
                )
                actioned = sum(v for o, v in values.items() if o in ACTIONED)
                reversed_ = values.get(Outcome.REVERSED, 0)
                row["share_actioned"] = actioned / decided if decided else None
                row["share_reversed"] = reversed_ / decided if decided else None
            else:
                row["share_actioned"] = row["share_reversed"] = None
        out.append(row)
    return out


# ------------------------------------------------------------------------------ rendering


@dataclass
class ShownTable:
    code: str
    title: str
    columns: list[str]
    rows: list[list[str]]


SUPPRESSED = gettext_lazy("suppressed")


def shown_tables(organisation: Any, composed: Composed) -> list[ShownTable]:
    out = []
    for t, kind in zip(composed.tables, composed.kinds, strict=True):

        def value(key: tuple[str, ...], t: Table = t) -> str:
            v = t.published(key)
            return f"[{SUPPRESSED}]" if v is None else str(v)

        def name(dim: str, code: str) -> str:
            return code if dim == "month" else labels.label(dim, code, organisation)

        if len(t.dims) == 1:
            keys = sorted(t.cells, key=lambda k: (k[0] == TOTAL, k[0]))
            rows = [[name(t.dims[0], k[0]), value(k)] for k in keys]
            columns = [labels.dimension(t.dims[0]), _("Count")]
        else:
            rows_c = sorted({k[0] for k in t.cells}, key=lambda c: (c == TOTAL, c))
            cols_c = sorted({k[1] for k in t.cells}, key=lambda c: (c == TOTAL, c))
            columns = [labels.dimension(t.dims[0])] + [name(t.dims[1], c) for c in cols_c]
            rows = [
                [name(t.dims[0], r)] + [value((r, c)) if (r, c) in t.cells else "" for c in cols_c]
                for r in rows_c
            ]
        out.append(ShownTable(kind.code, str(kind.title), columns, rows))
    if composed.derived:

        def pct(v: Any) -> str:
            return f"[{SUPPRESSED}]" if v is None else f"{v:.0%}"

        columns = [labels.dimension("platform")]
        first = composed.derived[0]
        for key, title in (
            ("share_72h", _("Share answered within 72 hours")),
            ("median_hours", _("Median hours to first response")),
            ("share_actioned", _("Share actioned")),
            ("share_reversed", _("Share reversed")),
        ):
            if key in first:
                columns.append(title)
        rows = []
        for d in composed.derived:
            row = [labels.label("platform", d["platform"])]
            for key in ("share_72h", "median_hours", "share_actioned", "share_reversed"):
                if key in first:
                    v = d.get(key)
                    if key == "median_hours":
                        row.append(f"[{SUPPRESSED}]" if v is None else f"{v:,.1f}")
                    else:
                        row.append(pct(v))
            rows.append(row)
        out.append(ShownTable("responsiveness", _("Platform responsiveness"), columns, rows))
    return out


def method_text(composed: Composed) -> str:
    spec = composed.spec
    if spec.method == Method.DIFFERENTIAL_PRIVACY:
        return _(
            "Counts are differentially private (OpenDP, discrete Laplace noise of scale "
            "%(scale)s on each cell; margins are sums of the noisy cells). Privacy budget: "
            "epsilon = %(epsilon)s for the whole report, split equally between its %(n)s "
            "tables; the unit protected is one report (or one escalation). Medians are not "
            "published."
        ) % {"scale": f"{composed.scale:.2f}", "epsilon": spec.epsilon, "n": len(composed.tables)}
    return _(
        "Counts from 1 to %(below)s are suppressed, and further cells (complementary "
        "suppression) so that no suppressed count can be worked out from the totals, the other "
        "tables of this report or the organisation's earlier reports. Zeros are shown. Rates "
        "that would need a suppressed count are suppressed; medians are shown only when at "
        "least %(threshold)s answers were received."
    ) % {"below": spec.threshold - 1, "threshold": spec.threshold}


def render_csv(organisation: Any, composed: Composed) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(
        ["table", "dimension_1", "category_1", "dimension_2", "category_2", "value", "status"]
    )
    for t, kind in zip(composed.tables, composed.kinds, strict=True):
        for key in t.cells:
            v = t.published(key)
            dims = list(t.dims) + [""] * (2 - len(t.dims))
            cats = list(key) + [""] * (2 - len(key))
            status = (
                "suppressed"
                if v is None
                else ("noisy" if composed.spec.method == Method.DIFFERENTIAL_PRIVACY else "exact")
            )
            writer.writerow(
                [kind.code, dims[0], cats[0], dims[1], cats[1], "" if v is None else v, status]
            )
    for derived in composed.derived:
        for measure, value in derived.items():
            if measure != "platform":
                writer.writerow(
                    [
                        "responsiveness",
                        "platform",
                        derived["platform"],
                        "measure",
                        measure,
                        "" if value is None else value,
                        "suppressed" if value is None else "derived",
                    ]
                )
    return buffer.getvalue()
