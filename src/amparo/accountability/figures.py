"""The dashboard's figures: counts of incidents, platform responsiveness and heightened-risk
periods against their baseline, each a chart (``amparo.engines.figures.charts``) with its
definition, data table and one-sentence summary.

The dashboard is for the organisation's own staff (who see its cases) and shows exact counts;
what leaves the organisation goes through a transparency report (``reports.py``), suppressed.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from statistics import median
from typing import Any

from django.utils.translation import gettext as _

from amparo.accountability import data, labels
from amparo.accountability.data import Appeal, Filters, Incident, Sent
from amparo.accountability.definitions import DEFINITIONS, Definition
from amparo.engines.figures.charts import Band, Chart, Series
from amparo.escalations.models import ACTIONED, Outcome


@dataclass
class Figure:
    chart: Chart
    definition: Definition

    @property
    def key(self) -> str:
        return self.chart.key

    def rows(self) -> list[list[str]]:
        return [
            [label, *(self.chart.shown(s.values[i]) for s in self.chart.series)]
            for i, label in enumerate(self.chart.labels)
        ]


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def _median(values: Iterable[float]) -> float | None:
    values = list(values)
    return round(median(values), 1) if values else None


def _count_chart(
    key: str, dimension: str, counts: Counter[str], organisation: Any, top: int = 20
) -> Figure:
    d = DEFINITIONS[key]
    ordered = counts.most_common(top)
    names = [labels.label(dimension, code, organisation) for code, _n in ordered]
    total = sum(counts.values())
    if ordered:
        first = names[0]
        summary = _("%(first)s comes first with %(n)s of %(total)s incidents.") % {
            "first": first,
            "n": ordered[0][1],
            "total": total,
        }
    else:
        summary = _("No incident in this selection.")
    chart = Chart(
        key=key,
        title=str(d.title),
        summary=summary,
        label_header=labels.dimension(dimension),
        labels=names,
        series=[Series(_("Incidents"), [float(n) for _c, n in ordered])],
        rtl=labels.is_rtl(),
    )
    return Figure(chart, d)


def _steps(f: Filters) -> tuple[list[str], Callable[[date], str]]:
    if f.days() <= 62:
        days = [f.start + timedelta(days=i) for i in range(f.days())]
        return [d.isoformat() for d in days], date.isoformat
    months = []
    day = f.start.replace(day=1)
    while day <= f.end:
        months.append(day.strftime("%Y-%m"))
        day = (day + timedelta(days=32)).replace(day=1)
    return months, lambda d: d.strftime("%Y-%m")


def over_time(organisation: Any, f: Filters, rows: list[Incident]) -> Figure:
    steps, bucket = _steps(f)
    counts = Counter(bucket(r.day) for r in rows)
    bands = []
    for period in data.risk_periods(organisation, f.start, f.end, f.country):
        first = bucket(max(period.starts_on, f.start))
        last = bucket(min(period.ends_on, f.end))
        name = f"{period.get_kind_display()} {labels.country(period.country)}"
        bands.append(Band(first, last, name))
    busiest = max(steps, key=lambda s: counts.get(s, 0)) if rows else ""
    summary = (
        _("%(total)s incidents from %(start)s to %(end)s; the most in %(busiest)s (%(n)s).")
        % {
            "total": len(rows),
            "start": f.start.isoformat(),
            "end": f.end.isoformat(),
            "busiest": busiest,
            "n": counts.get(busiest, 0),
        }
        if rows
        else _("No incident in this selection.")
    )
    if bands:
        summary += " " + _("Shaded: %(periods)s.") % {"periods": ", ".join(b.name for b in bands)}
    d = DEFINITIONS["incidents_over_time"]
    chart = Chart(
        key="incidents_over_time",
        title=str(d.title),
        summary=summary,
        label_header=_("Day") if f.days() <= 62 else _("Month"),
        labels=steps,
        series=[Series(_("Incidents"), [float(counts.get(s, 0)) for s in steps])],
        kind="line",
        bands=bands,
        rtl=labels.is_rtl(),
    )
    return Figure(chart, d)


@dataclass
class Responsiveness:
    platform: str
    channel: str
    sent: int
    answered: int
    pending: int
    median_hours: float | None
    share_72h: float | None
    share_actioned: float | None
    share_reversed: float | None
    restored: int
    median_days_restored: float | None


def responsiveness(
    items: list[Sent], key: Callable[[Sent], tuple[str, str]]
) -> list[Responsiveness]:
    groups: dict[tuple[str, str], list[Sent]] = defaultdict(list)
    for item in items:
        groups[key(item)].append(item)
    out = []
    for (platform, channel), group in sorted(groups.items()):
        hours = [g.hours for g in group if g.hours is not None]
        decided = [g for g in group if g.outcome and g.outcome != Outcome.NO_RESPONSE]
        restored = [g.restored_days for g in group if g.restored_days is not None]
        out.append(
            Responsiveness(
                platform=platform,
                channel=channel,
                sent=len(group),
                answered=len(hours),
                pending=len(group) - len(hours),
                median_hours=_median(hours),
                share_72h=_share(sum(h <= data.H72 for h in hours), len(group)),
                share_actioned=_share(sum(g.outcome in ACTIONED for g in decided), len(decided)),
                share_reversed=_share(
                    sum(g.outcome == Outcome.REVERSED for g in decided), len(decided)
                ),
                restored=len(restored),
                median_days_restored=_median(restored),
            )
        )
    return out


def appeal_rates(items: list[Appeal]) -> dict[str, tuple[int, float | None]]:
    groups: dict[str, list[Appeal]] = defaultdict(list)
    for a in items:
        groups[a.platform].append(a)
    return {
        p: (len(g), _share(sum(a.outcome in ("upheld", "partly") for a in g), len(g)))
        for p, g in sorted(groups.items())
    }


def responsiveness_charts(organisation: Any, rows: list[Responsiveness]) -> list[Figure]:
    names = [
        f"{labels.label('platform', r.platform)} — {labels.channel(organisation, r.channel)}"
        for r in rows
    ]
    out = []
    for key, unit, attr in (
        ("median_hours", "h", "median_hours"),
        ("share_72h", "%", "share_72h"),
        ("share_actioned", "%", "share_actioned"),
    ):
        d = DEFINITIONS[key]
        values = [getattr(r, attr) for r in rows]
        known = [(n, v) for n, v in zip(names, values, strict=True) if v is not None]
        if known:
            best = (
                min(known, key=lambda p: p[1])
                if key == "median_hours"
                else max(known, key=lambda p: p[1])
            )
            chart_tmp = Chart(key, "", "", "", [], [], unit=unit)
            summary = _("Best: %(channel)s (%(value)s).") % {
                "channel": best[0],
                "value": chart_tmp.shown(best[1]),
            }
        else:
            summary = _("No escalation answered in this selection.")
        chart = Chart(
            key=key,
            title=str(d.title),
            summary=summary,
            label_header=_("Platform and channel"),
            labels=names,
            series=[Series(str(d.title), values)],
            unit=unit,
            rtl=labels.is_rtl(),
        )
        out.append(Figure(chart, d))
    return out


@dataclass
class Comparison:
    period: Any
    baseline: Filters
    during: Filters
    rows: list[tuple[str, str, str]]
    figure: Figure


def risk_comparison(organisation: Any, f: Filters, period: Any) -> Comparison:
    """The figures of the period's country during the period against the same number of days
    just before it."""
    during = Filters(period.starts_on, period.ends_on, f.platform, f.incident_type, period.country)
    length = during.days()
    baseline = Filters(
        period.starts_on - timedelta(days=length),
        period.starts_on - timedelta(days=1),
        f.platform,
        f.incident_type,
        period.country,
    )
    values: list[tuple[str, float | None, float | None, str]] = []
    sides = []
    for side in (during, baseline):
        inc = data.incidents(organisation, side)
        esc = data.escalations(organisation, side)
        overall = responsiveness(esc, lambda s: ("", ""))
        r = overall[0] if overall else None
        sides.append((len(inc) / side.days(), r))
    (rate_d, r_d), (rate_b, r_b) = sides
    values.append((_("Incidents per day"), rate_d, rate_b, ""))
    values.append(
        (
            str(DEFINITIONS["median_hours"].title),
            (r_d.median_hours if r_d else None),
            (r_b.median_hours if r_b else None),
            "h",
        )
    )
    values.append(
        (
            str(DEFINITIONS["share_72h"].title),
            (r_d.share_72h if r_d else None),
            (r_b.share_72h if r_b else None),
            "%",
        )
    )
    values.append(
        (
            str(DEFINITIONS["share_actioned"].title),
            (r_d.share_actioned if r_d else None),
            (r_b.share_actioned if r_b else None),
            "%",
        )
    )

    def shown(v: float | None, unit: str) -> str:
        if v is None:
            return "—"
        return f"{v:.0%}" if unit == "%" else f"{v:,.1f}"

    rows = [(name, shown(d, u), shown(b, u)) for name, d, b, u in values]
    d = DEFINITIONS["risk_comparison"]
    name = f"{period.get_kind_display()} {labels.country(period.country)}"
    summary = _(
        "During %(period)s: %(during)s incidents per day against %(baseline)s before it."
    ) % {"period": name, "during": shown(rate_d, ""), "baseline": shown(rate_b, "")}
    chart = Chart(
        key="risk_comparison",
        title=f"{d.title}: {name}",
        summary=summary,
        label_header=_("Figure"),
        labels=[_("Incidents per day")],
        series=[Series(_("During"), [rate_d]), Series(_("Baseline"), [rate_b])],
        unit="d",
        rtl=labels.is_rtl(),
    )
    return Comparison(period, baseline, during, rows, Figure(chart, d))


@dataclass
class Dashboard:
    filters: Filters
    incidents: int
    figures: list[Figure]
    responsiveness: list[Responsiveness]
    appeals: dict[str, tuple[int, float | None]]
    comparison: Comparison | None


def dashboard(organisation: Any, f: Filters, period: Any = None) -> Dashboard:
    rows = data.incidents(organisation, f)
    figures = [over_time(organisation, f, rows)]
    for key, dimension, value in (
        ("by_type", "type", lambda r: [r.incident_type]),
        ("by_platform", "platform", lambda r: [r.platform]),
        ("by_country", "country", lambda r: [r.country]),
        ("by_language", "language", lambda r: [r.language]),
        ("by_gender", "gender", lambda r: [r.gender]),
        ("by_identity", "identity", lambda r: r.identities),
    ):
        counts: Counter[str] = Counter(v for r in rows for v in value(r))
        figures.append(_count_chart(key, dimension, counts, organisation))
    sent = data.escalations(organisation, f)
    per_channel = responsiveness(sent, lambda s: (s.platform, s.channel))
    figures += responsiveness_charts(organisation, per_channel)
    comparison = risk_comparison(organisation, f, period) if period is not None else None
    if comparison is not None:
        figures.append(comparison.figure)
    return Dashboard(
        filters=f,
        incidents=len(rows),
        figures=figures,
        responsiveness=per_channel,
        appeals=appeal_rates(data.appeals(organisation, f)),
        comparison=comparison,
    )


def figure(organisation: Any, f: Filters, key: str, period: Any = None) -> Figure | None:
    return next((x for x in dashboard(organisation, f, period).figures if x.key == key), None)
