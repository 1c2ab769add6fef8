"""What each Transparency Database page shows: forms in, tables, charts and downloads out.

The views stay thin: they check access and turn a :class:`Download` into a response; this
module reads the query string, runs the engine's definitions (:mod:`amparo.engines.tdb`) on
the store the installation configured, and builds the context of each page. Nothing here
writes anything.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pyarrow as pa
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _

from amparo.engines.tdb import charts, research
from amparo.engines.tdb.queries import Filter
from amparo.engines.tdb.store import Store, day_range
from amparo.tdb import forms, labels
from amparo.tdb.lookup import store_dir

log = logging.getLogger(__name__)

#: Rows of a result shown on a page (downloads hold all of them).
SHOWN_ROWS = 500
#: Results of more rows get no chart (it could not be read, and would take long to draw).
CHART_ROWS = 50_000
FORMATS = {"csv": "text/csv; charset=utf-8", "parquet": "application/vnd.apache.parquet"}


@dataclass
class Output:
    """One result of a page: a table, its chart and the events that touch it."""

    part: str
    title: str
    table: pa.Table
    svg: str = ""
    flags: list[Any] = field(default_factory=list)
    note: str = ""


@dataclass
class Download:
    content: bytes
    filename: str
    content_type: str


def open_store() -> Store | None:
    """The configured store, or None when nothing has been ingested there yet."""
    store = Store(store_dir())
    return store if store.has_rows() else None


def present(table: pa.Table, limit: int = SHOWN_ROWS) -> dict[str, Any]:
    """A table as the template shows it: labelled columns and formatted cells."""
    names = table.column_names
    numeric = [pa.types.is_integer(table.schema.field(n).type) for n in names]
    rows = []
    for r in table.slice(0, limit).to_pylist():
        rows.append(
            [{"v": _cell(n, r[n]), "num": num} for n, num in zip(names, numeric, strict=True)]
        )
    return {
        "columns": [
            {"v": labels.column(n), "num": num} for n, num in zip(names, numeric, strict=True)
        ],
        "rows": rows,
        "total": table.num_rows,
        "shown": min(limit, table.num_rows),
    }


def _cell(name: str, v: Any) -> str:
    if v is None:
        return "—"
    if name == "share":
        return f"{v:.1%}"
    if isinstance(v, bool):
        return _("yes") if v else _("no")
    if isinstance(v, int):
        return f"{v:,}"
    if isinstance(v, list):
        return ", ".join(labels.code(x) for x in v)
    if isinstance(v, dt.datetime):
        return v.isoformat(sep=" ")
    if isinstance(v, dt.date):
        return v.isoformat()
    text = labels.code(v)
    return text if len(text) <= 400 else text[:399] + "…"


def flags_of(events: list[Any]) -> list[dict[str, str]]:
    out = []
    for e in events:
        title, detail = labels.QUALITY.get(e.id, (e.title, e.detail))
        out.append({"id": e.id, "title": str(title), "detail": str(detail)})
    return out


def _chart_title(what: str, filters: str) -> str:
    return f"{what}\n{filters}"


def _by_count(table: pa.Table) -> pa.Table:
    return table.sort_by([("statements", "descending")]) if table.num_rows else table


def _dims_in_words(dims: tuple[str, ...]) -> str:
    return ", ".join(str(labels.DIMENSIONS.get(d, d)).lower() for d in dims)


# --- the sections -------------------------------------------------------------------------

Runner = Callable[[research.ResearchEngine, forms.FilterForm, QueryDict], list[Output]]


def _overview(engine: research.ResearchEngine, f: forms.FilterForm, q: QueryDict) -> list[Output]:
    series = forms.SeriesForm(q)
    series.is_valid()
    split = series.cleaned_data.get("split") or ""
    period = series.cleaned_data.get("period") or "day"
    dims = (period, split) if split else (period,)
    result = engine.aggregate(f.selection(), "series", dims)
    what = _("Statements per day") if period == "day" else _("Statements per month")
    if split:
        what = _("%(what)s, one line per %(split)s") % {
            "what": what,
            "split": str(labels.DIMENSIONS[split]).lower(),
        }
    svg = charts.chart_for(result.table, title=_chart_title(what, f.describe()))
    return [Output("series", what, result.table, svg, result.flags)]


def _lens(engine: research.ResearchEngine, f: forms.FilterForm, q: QueryDict) -> list[Output]:
    form = forms.LensForm(q)
    form.is_valid()
    qid = form.cleaned_data.get("question") or "community-by-country"
    answer = engine.lens(f.selection(), qid)
    what = str(labels.LENS.get(qid, answer.question.question))
    title = _chart_title(what, f.describe())
    table = answer.table
    if "share" in table.column_names:
        rows = table.to_pylist()
        svg = charts.bar_chart(
            [r.get("platform", "—") for r in rows],
            [r["share"] for r in rows],
            title=title,
            unit="%",
        )
    else:
        svg = charts.chart_for(table, title=title)
    return [Output(qid, what, table, svg, answer.flags)]


def _aggregate(engine: research.ResearchEngine, f: forms.FilterForm, q: QueryDict) -> list[Output]:
    form = forms.AggregateForm(q)
    if q and not form.is_valid():
        return []
    name, dims = form.aggregation()
    result = engine.aggregate(f.selection(), name, dims)
    what = _("Statements by %(dimensions)s") % {"dimensions": _dims_in_words(dims)}
    note = _("Answered from the rollups.") if ":rollup:" in result.engine else ""
    if result.table.num_rows <= CHART_ROWS:
        svg = charts.chart_for(result.table, title=_chart_title(what, f.describe()))
    else:
        svg = ""
        note = f"{note} {_('Too many rows to chart: download the table.')}".strip()
    return [Output(name, what, result.table, svg, result.flags, note)]


def _delays(engine: research.ResearchEngine, f: forms.FilterForm, q: QueryDict) -> list[Output]:
    delays = engine.delays(f.selection())
    filters = f.describe()
    rows = [r for r in delays.quantiles.to_pylist() if r["platform"] is not None]
    median = _("Median time to action per platform (days)")
    quantile_svg = charts.bar_chart(
        [r["platform"] for r in rows],
        [r["action_p50"] or 0 for r in rows],
        title=_chart_title(median, filters),
    )
    quantiles = delays.quantiles
    platforms = [
        p if p is not None else _("All platforms") for p in quantiles["platform"].to_pylist()
    ]
    quantiles = quantiles.set_column(0, "platform", pa.array(platforms, pa.string()))
    outputs = [
        Output("quantiles", _("Quantiles per platform"), quantiles, quantile_svg, delays.flags)
    ]
    for measure in ("action", "publication"):
        dist = [r for r in delays.distribution.to_pylist() if r["measure"] == measure]
        what = str(labels.MEASURES[measure])
        svg = charts.bar_chart(
            [r["days"] for r in dist],
            [r["statements"] for r in dist],
            title=_chart_title(what, filters),
            ordered=True,
        )
        table = pa.Table.from_pylist(
            [{"days": r["days"], "statements": r["statements"]} for r in dist],
            schema=pa.schema([("days", pa.string()), ("statements", pa.int64())]),
        )
        outputs.append(Output(measure, what, table, svg, delays.flags))
    return outputs


def _notifiers(engine: research.ResearchEngine, f: forms.FilterForm, q: QueryDict) -> list[Output]:
    selection = f.selection()
    filters = f.describe()
    types = _by_count(engine.aggregate(selection, "notifier-types", ("source_type",)).table)
    what = _("Who notified: type of notice")
    svg = charts.bar_chart(
        types["source_type"].to_pylist(),
        types["statements"].to_pylist(),
        title=_chart_title(what, filters),
    )
    named = research.Selection(
        (*selection.filters, Filter("source_identity", "not_null")),
        selection.start,
        selection.end,
        selection.text,
        selection.fields,
    )
    result = engine.aggregate(named, "notifiers", ("source_type", "source_identity"))
    identities = _by_count(result.table)
    who = _("Who notified: names published")
    id_svg = charts.bar_chart(
        identities["source_identity"].to_pylist(),
        identities["statements"].to_pylist(),
        title=_chart_title(who, filters),
    )
    return [
        Output("types", what, types, svg, result.flags),
        Output("names", who, identities, id_svg, result.flags),
    ]


def _laws(engine: research.ResearchEngine, f: forms.FilterForm, q: QueryDict) -> list[Output]:
    selection = f.selection()
    with_law = research.Selection(
        (*selection.filters, Filter("legal_ground", "not_null")),
        selection.start,
        selection.end,
        selection.text,
        selection.fields,
    )
    result = engine.aggregate(with_law, "laws", ("legal_ground",))
    table = _by_count(result.table)
    what = _("Laws invoked (legal ground as the platform wrote it)")
    svg = charts.bar_chart(
        table["legal_ground"].to_pylist(),
        table["statements"].to_pylist(),
        title=_chart_title(what, f.describe()),
    )
    return [Output("laws", what, table, svg, result.flags)]


SAMPLE_SHOWN = ("sample_rank", "created_at", "platform_name", "platform_uid", "category",
                "decision_ground", "illegal_content_legal_ground", "incompatible_content_ground",
                "decision_facts")  # fmt: skip


def _statements(engine: research.ResearchEngine, f: forms.FilterForm, q: QueryDict) -> list[Output]:
    form = forms.SampleForm(q)
    if not form.is_valid():
        return []
    size = form.cleaned_data.get("size") or 100
    seed = form.cleaned_data.get("seed")
    seed = 1 if seed is None else seed
    table, total = engine.sample(f.selection(), size=size, seed=seed)
    what = _("A random sample of %(n)s of %(total)s statements (seed %(seed)s)") % {
        "n": f"{table.num_rows:,}",
        "total": f"{total:,}",
        "seed": seed,
    }
    return [Output("sample", what, table, "", engine.flags(f.selection()))]


SECTIONS: dict[str, tuple[Runner, bool]] = {
    # name: (runner, runs before the form is sent: only what the rollups answer quickly)
    "overview": (_overview, True),
    "lens": (_lens, True),
    "aggregate": (_aggregate, False),
    "delays": (_delays, False),
    "notifiers": (_notifiers, False),
    "laws": (_laws, False),
    "statements": (_statements, False),
}


def store_summary(
    engine: research.ResearchEngine, store: Store, platforms: list[str]
) -> dict[str, Any]:
    first, last = day_range(store)
    return {
        "statements": engine.count(research.Selection()),
        "first_day": first,
        "last_day": last,
        "platforms": len(platforms),
    }


def build(section: str, query: QueryDict) -> dict[str, Any] | Download:
    """The context of one page, or the download it asks for (``download=csv|parquet``,
    ``part=`` naming the table)."""
    runner, eager = SECTIONS[section]
    context: dict[str, Any] = {"section": section, "outputs": [], "ran": False}
    store = open_store()
    if store is None:
        context.update(no_store=True, filters=forms.FilterForm(platforms=[]))
        return context
    with research.ResearchEngine(store) as engine:
        try:
            platforms = engine.platforms()
            filters = forms.FilterForm(query or None, platforms=platforms)
            context.update(filters=filters, summary=store_summary(engine, store, platforms))
            context.update(_section_forms(section, query))
            wanted = bool(query) or eager
            if not wanted or (filters.is_bound and not filters.is_valid()):
                return context
            outputs = runner(engine, filters, query)
        except Exception:
            log.exception("reading the Transparency Database store at %s failed", store.root)
            context["error"] = True
            return context
    context.update(ran=True, description=filters.describe())
    fmt = query.get("download", "")
    if fmt and outputs:
        part = query.get("part") or outputs[0].part
        chosen = next((o for o in outputs if o.part == part), outputs[0])
        return download(chosen.table, f"{section}-{chosen.part}", fmt)
    context["outputs"] = [
        {
            "part": o.part,
            "title": o.title,
            "svg": o.svg,
            "table": present(_shown(section, o.table)),
            "flags": flags_of(o.flags),
            "note": o.note,
        }
        for o in outputs
    ]
    return context


def _shown(section: str, table: pa.Table) -> pa.Table:
    if section == "statements" and table.num_rows:
        return table.select([c for c in SAMPLE_SHOWN if c in table.column_names])
    return table


def _section_forms(section: str, query: QueryDict) -> dict[str, Any]:
    bound = query or None
    chosen: dict[str, dict[str, Any]] = {
        "overview": {"series": forms.SeriesForm(bound)},
        "lens": {"lens": forms.LensForm(bound)},
        "aggregate": {"aggregate": forms.AggregateForm(bound)},
        "statements": {"sample": forms.SampleForm(bound)},
    }
    return chosen.get(section, {})


def download(table: pa.Table, name: str, fmt: str) -> Download:
    if fmt not in FORMATS:
        fmt = "csv"
    content = research.to_parquet(table) if fmt == "parquet" else research.to_csv(table)
    stamp = timezone.localdate().isoformat()
    return Download(content, f"amparo-tdb-{name}-{stamp}.{fmt}", FORMATS[fmt])


# --- bulk matching ------------------------------------------------------------------------


def match(data: bytes, platform: str | None, selection: research.Selection | None = None) -> Any:
    """Match the lines of an uploaded file; returns (matches, error message or "")."""
    store = open_store()
    if store is None:
        return [], ""
    try:
        wanted = research.read_list(data, platform or None)
    except ValueError:
        return [], _("The file has more than 5,000 lines: split it.")
    with research.ResearchEngine(store) as engine:
        return engine.match(wanted, selection), ""


def match_download(matches: list[research.Match], fmt: str) -> Download:
    return download(research.matches_table(matches), "match", fmt)


def match_rows(matches: list[research.Match]) -> list[dict[str, Any]]:
    """The matches as the page lists them."""
    out = []
    for m in matches:
        unresolved = m.wanted.unresolved
        out.append(
            {
                "line": m.wanted.line,
                "input": m.wanted.text,
                "platform": m.wanted.platform or _("Any platform"),
                "candidates": m.wanted.candidates,
                "status": m.status,
                "status_label": labels.MATCH_STATUS[m.status],
                "reason": labels.UNRESOLVED.get(unresolved.code, "") if unresolved else "",
                "statements": [
                    {
                        "uuid": s.get("uuid"),
                        "created_at": s.get("created_at"),
                        "category": labels.code(s.get("category")),
                        "ground": labels.code(s.get("decision_ground")),
                        "visibility": ", ".join(
                            labels.code(v) for v in s.get("decision_visibility") or []
                        ),
                        "account": labels.code(s.get("decision_account")),
                        "automated": labels.code(s.get("automated_decision")),
                        "content_id": s.get("platform_uid"),
                    }
                    for s in m.statements[:20]
                ],
                "more": max(0, len(m.statements) - 20),
            }
        )
    return out


def store_facts() -> dict[str, Any]:
    """For the matching page: whether there is a store, its summary and its platforms."""
    store = open_store()
    if store is None:
        return {"no_store": True, "platforms": []}
    with research.ResearchEngine(store) as engine:
        platforms = engine.platforms()
        return {
            "no_store": False,
            "platforms": platforms,
            "summary": store_summary(engine, store, platforms),
        }
