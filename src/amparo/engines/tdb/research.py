"""What researchers ask of the store beyond the standard aggregations, on the same definitions.

* :class:`ResearchEngine` runs any :class:`Aggregation` (and so the community lens) with an
  optional free-text search (:mod:`.search`): without one it is the DuckDB engine, rollups
  included; with one, the same SQL over the rows whose text matches.
* :meth:`ResearchEngine.delays`: time to action (``application_date − content_date``) and
  time to publication (``created_at − application_date``), in days, as quantiles per platform
  and as a distribution over ranges of days.
* :meth:`ResearchEngine.sample`: a reproducible random sample of the statements selected, for
  qualitative coding: rows are ordered by ``md5(uuid:seed)``, so the same seed over the same
  data gives the same sample on any machine, and statements ingested later only enter it where
  their hash falls, never reshuffling the others.
* :meth:`ResearchEngine.match`: which of a list of content ids (or post URLs, through
  :mod:`.content_urls`) have statements in the store.

Everything takes a :class:`Selection` (filters, days, search) and returns Arrow tables with the
data-quality events they touch, like :class:`~.queries.Result`.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from . import lens, quality, search
from .cases import platform_key, platform_partitions
from .duck import DuckDBEngine, aggregation_sql, finish, where_sql
from .queries import Aggregation, Filter, Result
from .store import Store, day_range

#: Most statements a sample or a match returns.
SAMPLE_LIMIT = 10_000
MATCH_LIMIT = 50_000
#: Ranges of days for the delay distributions: (label, first day, last day or None).
DELAY_BUCKETS: tuple[tuple[str, int, int | None], ...] = (
    ("0", 0, 0),
    ("1", 1, 1),
    ("2-7", 2, 7),
    ("8-30", 8, 30),
    ("31-90", 31, 90),
    ("91-365", 91, 365),
    ("366+", 366, None),
)
QUANTILES = (0.5, 0.9, 0.99)


@dataclass(frozen=True)
class Selection:
    """Which statements: filters on dimensions, a day range (of ``created_at``) and a search."""

    filters: tuple[Filter, ...] = ()
    start: dt.date | None = None
    end: dt.date | None = None
    text: search.Query | None = None
    fields: str = "all"

    def aggregation(self, name: str, dimensions: Iterable[str] = ()) -> Aggregation:
        return Aggregation(name, tuple(dimensions), self.filters, self.start, self.end)


@dataclass
class Delays:
    quantiles: pa.Table  # platform, statements, action_* and publication_* columns
    distribution: pa.Table  # measure, days, statements
    flags: list[Any] = field(default_factory=list)


@dataclass
class Wanted:
    """One line of a list to match: a platform (or None: any) and the ids to look for."""

    line: int
    text: str
    platform: str | None
    candidates: tuple[str, ...]
    unresolved: Any = None  # a content_urls.Unresolved when a URL gave no id


@dataclass
class Match:
    wanted: Wanted
    status: str  # "found", "not_found", "platform_not_in_store", "unresolved"
    statements: list[dict[str, Any]] = field(default_factory=list)


class ResearchEngine:
    """DuckDB over one store, with free-text search and the research questions."""

    name = "duckdb"

    def __init__(self, store: Store, text: search.Query | None = None, fields: str = "all"):
        self.store = store
        self.duck = DuckDBEngine(store)
        self.text = text
        self.fields = fields

    def __enter__(self) -> ResearchEngine:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.duck.close()

    def searching(self, selection: Selection) -> ResearchEngine:
        """This engine with ``selection``'s search (shares the connection)."""
        twin = ResearchEngine.__new__(ResearchEngine)
        twin.store, twin.duck = self.store, self.duck
        twin.text, twin.fields = selection.text, selection.fields
        return twin

    # --- the rows a selection reads -------------------------------------------------------

    def source(self) -> tuple[str, list[Any]]:
        """A FROM item over the rows (only those matching the search, if any), and its
        parameters."""
        rows = self.duck.source()
        if self.text is None:
            return rows, []
        condition, params = search.where_sql(self.text)
        text = search.text_sql(self.fields)
        # Identifiers and SQL come from this package only; every value is a bound parameter.
        inner = f"(SELECT *, {text} AS __text FROM {rows})"  # noqa: S608
        return f"(SELECT * EXCLUDE (__text) FROM {inner} WHERE {condition})", params  # noqa: S608

    def run(self, agg: Aggregation, *, use_rollups: bool = True) -> Result:
        """An aggregation: from the DuckDB engine (and its rollups) without a search, else the
        same SQL over the matching rows."""
        if self.text is None:
            return self.duck.run(agg, use_rollups=use_rollups)
        started = time.perf_counter()
        if not self.store.has_rows():
            return self.duck.run(agg)
        source, params = self.source()
        sql, where_params = aggregation_sql(agg, source)
        table = self.duck.query(sql, params + where_params)
        return finish(self.store, agg, table, started, f"{self.name}:search")

    def aggregate(self, selection: Selection, name: str, dimensions: Iterable[str]) -> Result:
        return self.searching(selection).run(selection.aggregation(name, dimensions))

    def lens(self, selection: Selection, question: str) -> lens.LensAnswer:
        return lens.answer(
            self.searching(selection),
            question,
            start=selection.start,
            end=selection.end,
            filters=selection.filters,
        )

    def count(self, selection: Selection) -> int:
        table = self.aggregate(selection, "count", ()).table
        return int(table["statements"][0].as_py() or 0) if table.num_rows else 0

    # --- store facts ----------------------------------------------------------------------

    def platforms(self) -> list[str]:
        """The platform names in the store (from a rollup when there is one)."""
        if not self.store.has_rows():
            return []
        for name in ("simple", "complete"):
            if self.store.has_rollup(name):
                glob = str(self.store.rollup_dir(name) / "*.parquet").replace("'", "''")
                sql = f"SELECT DISTINCT platform FROM read_parquet('{glob}') ORDER BY 1"  # noqa: S608
                return [r for r in self.duck.query(sql)["platform"].to_pylist() if r]
        sql = f"SELECT DISTINCT platform_name FROM {self.duck.source()} ORDER BY 1"  # noqa: S608
        return [r for r in self.duck.query(sql)["platform_name"].to_pylist() if r]

    # --- time to action and to publication -------------------------------------------------

    def delays(self, selection: Selection) -> Delays:
        agg = selection.aggregation("delays", ("platform",))
        searching = self.searching(selection)
        if not self.store.has_rows():
            return Delays(_empty_quantiles(), _empty_distribution(), [])
        source, params = searching.source()
        where = where_sql(agg, params)
        measures = {
            "action": "date_diff('day', content_date, application_date)",
            "publication": "date_diff('day', application_date, CAST(created_at AS DATE))",
        }
        inner = ", ".join(f"{sql} AS {name}" for name, sql in measures.items())
        base = f"SELECT platform_name, {inner} FROM {source} WHERE {where}"  # noqa: S608
        qs = ", ".join(str(q) for q in QUANTILES)
        cols = []
        for name in measures:
            cols += [
                f"count({name}) FILTER (WHERE {name} >= 0) AS {name}_known",
                f"count(*) FILTER (WHERE {name} < 0) AS {name}_negative",
                f"quantile_disc({name}, [{qs}]) FILTER (WHERE {name} >= 0) AS {name}_q",
            ]
        sql = (
            f"WITH d AS ({base}) SELECT platform_name AS platform, count(*) AS statements, "  # noqa: S608
            f"{', '.join(cols)} FROM d GROUP BY GROUPING SETS ((platform_name), ()) "
            "ORDER BY platform_name NULLS FIRST"
        )
        raw = self.duck.query(sql, list(params))
        buckets = " ".join(
            f"WHEN v BETWEEN {lo} AND {hi} THEN '{label}'"
            if hi is not None
            else f"WHEN v >= {lo} THEN '{label}'"
            for label, lo, hi in DELAY_BUCKETS
        )
        dist_sql = (
            f"WITH d AS ({base}), m AS (SELECT 'action' AS measure, action AS v FROM d "  # noqa: S608
            "UNION ALL SELECT 'publication', publication FROM d) "
            f"SELECT measure, CASE WHEN v IS NULL THEN 'unknown' WHEN v < 0 THEN 'negative' "
            f"{buckets} END AS days, count(*) AS statements FROM m GROUP BY ALL"
        )
        dist = self.duck.query(dist_sql, list(params))
        flags = self.flags(selection, ("platform",))
        return Delays(_quantile_table(raw), _ordered_distribution(dist), flags)

    def flags(self, selection: Selection, dimensions: Iterable[str] = ()) -> list[Any]:
        """The data-quality events a result over ``selection`` by ``dimensions`` touches
        (without running it)."""
        first, last = day_range(self.store)
        return quality.events_for(
            selection.aggregation("flags", dimensions),
            dt.date.fromisoformat(first) if first else None,
            dt.date.fromisoformat(last) if last else None,
        )

    # --- a sample of statements -----------------------------------------------------------

    def sample(
        self, selection: Selection, *, size: int = 1000, seed: int = 1
    ) -> tuple[pa.Table, int]:
        """Up to ``size`` (at most :data:`SAMPLE_LIMIT`) statements of the selection, chosen
        at random but reproducibly by ``seed``, and how many the selection holds."""
        size = max(1, min(int(size), SAMPLE_LIMIT))
        total = self.count(selection)
        if not self.store.has_rows() or not total:
            return pa.table({"sample_rank": pa.array([], pa.int64())}), total
        source, params = self.searching(selection).source()
        agg = selection.aggregation("sample")
        where = where_sql(agg, params)
        sql = (
            "SELECT row_number() OVER (ORDER BY __key) AS sample_rank, * EXCLUDE (__key) FROM ("  # noqa: S608
            f"SELECT * EXCLUDE (platform), md5(uuid || ':' || ?) AS __key FROM {source} "
            f"WHERE {where} ORDER BY __key LIMIT {size}) ORDER BY sample_rank"
        )
        table = self.duck.query(sql, [str(int(seed)), *params])
        return table, total

    # --- matching a list of content ids ---------------------------------------------------

    def match(self, wanted: list[Wanted], selection: Selection | None = None) -> list[Match]:
        """For each line, the statements whose ``platform_uid`` is one of its candidates (on its
        platform, or any when it names none); at most :data:`MATCH_LIMIT` statements in all."""
        selection = selection or Selection()
        results = {w.line: Match(w, "not_found" if w.candidates else "unresolved") for w in wanted}
        by_platform: dict[str | None, list[Wanted]] = {}
        for w in wanted:
            if not w.candidates:
                continue
            key = platform_key(w.platform) if w.platform else None
            by_platform.setdefault(key, []).append(w)
        left = MATCH_LIMIT
        for key, group in by_platform.items():
            if key is None:
                slugs: list[str] | None = None
            else:
                slugs = platform_partitions(self.store, group[0].platform or "")
                if not slugs:
                    for w in group:
                        results[w.line].status = "platform_not_in_store"
                    continue
            rows = self._match_rows(group, slugs, selection, left)
            left -= len(rows)
            for row in rows:
                line = row.pop("__line")
                row.pop("__id", None)
                results[line].statements.append(row)
                results[line].status = "found"
            if left <= 0:
                break
        return [results[w.line] for w in wanted]

    def _match_rows(
        self, group: list[Wanted], slugs: list[str] | None, selection: Selection, limit: int
    ) -> list[dict[str, Any]]:
        lines = [w.line for w in group for _ in w.candidates]
        ids = [c.strip() for w in group for c in w.candidates]
        wanted = pa.table({"__line": pa.array(lines, pa.int64()), "__id": ids})
        self.duck.con.register("__wanted", wanted)
        try:
            if slugs is None:
                glob = self.store.rows_glob.replace("'", "''")
                globs = f"'{glob}'"
            else:
                globs = ", ".join(
                    "'"
                    + str(self.store.rows_dir / "day=*" / f"platform={s}" / "*.parquet").replace(
                        "'", "''"
                    )
                    + "'"
                    for s in slugs
                )
            params: list[Any] = []
            where = where_sql(selection.aggregation("match"), params)
            sql = (
                f"SELECT w.__line, w.__id, r.* EXCLUDE (platform) FROM "  # noqa: S608
                f"read_parquet([{globs}], hive_partitioning = true) r "
                f"JOIN __wanted w ON trim(r.platform_uid) = w.__id WHERE {where} "
                f"ORDER BY w.__line, r.created_at DESC LIMIT {int(max(limit, 0))}"
            )
            return self.duck.query(sql, params).to_pylist()
        finally:
            self.duck.con.unregister("__wanted")


def _quantile_table(raw: pa.Table) -> pa.Table:
    rows = []
    for r in raw.to_pylist():
        out: dict[str, Any] = {"platform": r["platform"], "statements": r["statements"]}
        for name in ("action", "publication"):
            q = r[f"{name}_q"] or [None] * len(QUANTILES)
            out[f"{name}_known"] = r[f"{name}_known"]
            out[f"{name}_negative"] = r[f"{name}_negative"]
            for p, v in zip(QUANTILES, q, strict=True):
                out[f"{name}_p{round(p * 100)}"] = v
        rows.append(out)
    return pa.Table.from_pylist(rows, schema=_quantile_schema())


def _quantile_schema() -> pa.Schema:
    fields = [pa.field("platform", pa.string()), pa.field("statements", pa.int64())]
    for name in ("action", "publication"):
        fields += [pa.field(f"{name}_known", pa.int64()), pa.field(f"{name}_negative", pa.int64())]
        fields += [pa.field(f"{name}_p{round(p * 100)}", pa.int64()) for p in QUANTILES]
    return pa.schema(fields)


def _empty_quantiles() -> pa.Table:
    return _quantile_schema().empty_table()


def _empty_distribution() -> pa.Table:
    return pa.schema(
        [("measure", pa.string()), ("days", pa.string()), ("statements", pa.int64())]
    ).empty_table()


def _ordered_distribution(dist: pa.Table) -> pa.Table:
    order = {label: i for i, (label, _, _) in enumerate(DELAY_BUCKETS)}
    order |= {"negative": -1, "unknown": len(order)}
    rows = sorted(dist.to_pylist(), key=lambda r: (r["measure"], order.get(r["days"], 99)))
    return pa.Table.from_pylist(rows, schema=_empty_distribution().schema)


# --- reading a list of ids or URLs ---------------------------------------------------------


def read_list(data: bytes, platform: str | None = None, *, limit: int = 5000) -> list[Wanted]:
    """Lines of a text or CSV file: post URLs, ``platform,content id`` pairs, or bare ids (of
    ``platform`` when given, else of any platform). A header row naming ``url``,
    ``content_id`` (or ``id``, ``puid``, ``platform_uid``) and ``platform`` columns is used
    when present. Blank lines and lines starting with ``#`` are skipped. At most ``limit``
    lines; raises ``ValueError`` beyond."""
    import csv

    from .content_urls import Resolved, looks_like_url, resolve

    text = _decode(data)
    lines = [(i, line) for i, line in enumerate(text.splitlines(), 1)]
    lines = [(i, line) for i, line in lines if line.strip() and not line.lstrip().startswith("#")]
    if len(lines) > limit:
        raise ValueError(f"the file has {len(lines)} lines; at most {limit} can be matched at once")
    sample = "\n".join(line for _, line in lines[:20])
    delimiter = max(",;\t", key=sample.count) if any(d in sample for d in ",;\t") else ","
    rows = [(i, next(csv.reader([line], delimiter=delimiter), [])) for i, line in lines]
    columns: dict[str, int] = {}
    if rows:
        header = [c.strip().lower() for c in rows[0][1]]
        for name, aliases in (
            ("url", ("url", "link", "post_url", "address")),
            ("id", ("content_id", "id", "puid", "platform_uid")),
            ("platform", ("platform", "platform_name")),
        ):
            for j, title in enumerate(header):
                if title in aliases:
                    columns[name] = j
                    break
        if columns:
            rows = rows[1:]
    out: list[Wanted] = []
    for line_no, cells in rows:
        cells = [c.strip() for c in cells]
        shown = ", ".join(c for c in cells if c)
        if not any(cells):
            continue

        if columns:
            url, cid = _cell(cells, columns, "url"), _cell(cells, columns, "id")
            named = _cell(cells, columns, "platform") or platform
        else:
            url = next((c for c in cells if looks_like_url(c)), "")
            named = cells[0] if len(cells) >= 2 and not url else platform
            cid = cells[1] if len(cells) >= 2 and not url else cells[0]
        if url:
            found = resolve(url)
            if isinstance(found, Resolved):
                out.append(Wanted(line_no, shown, found.platform, found.candidates))
            else:
                out.append(Wanted(line_no, shown, found.platform or None, (), found))
            continue
        out.append(Wanted(line_no, shown, named or None, (cid,) if cid else ()))
    return out


def _cell(cells: list[str], columns: dict[str, int], name: str) -> str:
    j = columns.get(name)
    return cells[j] if j is not None and j < len(cells) else ""


def _decode(data: bytes) -> str:
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return data.decode("utf-16", errors="replace")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("latin-1")


# --- writing tables -------------------------------------------------------------------------

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _flat(table: pa.Table, *, for_spreadsheets: bool) -> pa.Table:
    """Lists as JSON arrays (as published), dictionaries as text; for CSV, text cells that a
    spreadsheet would run as a formula get a leading apostrophe."""
    for i, f in enumerate(table.schema):
        col = table.column(i)
        if pa.types.is_dictionary(f.type):
            col = col.cast(f.type.value_type)
        if pa.types.is_list(f.type) or pa.types.is_large_list(f.type):
            joined = pc.binary_join(col, '","')
            text = pc.binary_join_element_wise('["', joined, '"]', "")
            col = pc.if_else(pc.equal(pc.list_value_length(col), 0), "[]", text)
        if for_spreadsheets and pa.types.is_string(col.type):
            risky = pc.starts_with(col, _FORMULA_START[0])
            for start in _FORMULA_START[1:]:
                risky = pc.or_(risky, pc.starts_with(col, start))
            col = pc.if_else(
                pc.fill_null(risky, False), pc.binary_join_element_wise("'", col, ""), col
            )
        table = table.set_column(i, pa.field(f.name, col.type), col)
    return table


def to_csv(table: pa.Table) -> bytes:
    buf = io.BytesIO()
    pacsv.write_csv(_flat(table, for_spreadsheets=True), buf)
    return buf.getvalue()


def to_parquet(table: pa.Table) -> bytes:
    buf = io.BytesIO()
    flat = table
    for i, f in enumerate(table.schema):
        if pa.types.is_dictionary(f.type):
            flat = flat.set_column(i, f.name, table.column(i).cast(f.type.value_type))
    pq.write_table(flat, buf, compression="zstd")
    return buf.getvalue()


_MATCH_COLUMNS = ("uuid", "created_at", "platform_uid", "category", "decision_ground",
                  "decision_visibility", "decision_account", "automated_decision")  # fmt: skip


def _text(value: Any) -> str | None:
    if value is None:
        return None
    return json.dumps(value) if isinstance(value, list) else str(value)


def matches_table(matches: list[Match]) -> pa.Table:
    """One row per statement found (with the line it answers), and one per line without."""
    rows = []
    for m in matches:
        base = {
            "line": m.wanted.line,
            "input": m.wanted.text,
            "platform": m.wanted.platform,
            "candidates": ";".join(m.wanted.candidates),
            "status": m.status,
        }
        if not m.statements:
            rows.append({**base, **dict.fromkeys(_MATCH_COLUMNS)})
        for s in m.statements:
            rows.append({**base, **{c: _text(s.get(c)) for c in _MATCH_COLUMNS}})
    columns = ("input", "platform", "candidates", "status", *_MATCH_COLUMNS)
    schema = pa.schema([("line", pa.int64()), *((c, pa.string()) for c in columns)])
    return pa.Table.from_pylist(rows, schema=schema)
