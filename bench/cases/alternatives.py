"""What would make the case list faster: the view's queries against rewritten ones, same data.

Run by ``run.py --worker`` after the list itself has been measured, because the later steps
change the benchmark's throwaway database (statistics, indexes, a column); Amparo's models and
migrations are not touched. Every variant is timed at the ORM level (execute, fetch, build the
model instances, prefetch the tags; no template) on one connection: one warm-up run, then
``repeat`` timed runs, p50 reported.

Pages of 50 of the views ``all``, ``open`` and ``tag`` (``tag=elections``), first and last:

1. ``as is``: the view's page query (select_related assignee and data key, prefetch tags,
   ORDER BY urgency_rank, -updated_at, pk, LIMIT/OFFSET).
2. ``ids first``: the page's ids chosen in a subquery that reads only the ordering columns, the
   full rows read and joined for those 50 ids only (``pk IN (SELECT id ... LIMIT 50 OFFSET n)``);
   still one query.
3. SQLite: ``64 MB cache``: the view's query with ``PRAGMA cache_size = -65536`` and
   ``temp_store = MEMORY`` (SQLite's default cache is 2 MB, so the sort spills).
4. SQLite: ``ANALYZE``: the view's query once ``ANALYZE`` has given the planner statistics
   (nothing in Amparo runs it; ``PRAGMA optimize`` would).
5. With an index that matches the order, ``(organisation_id, urgency_rank, updated_at DESC,
   id)``, and for the open view a stored ``is_open`` flag (here a column ``bench_is_open`` set
   from the status) with the index ``(organisation_id, is_open, urgency_rank, updated_at DESC,
   id)``: ``indexed``, ``indexed, ids first`` and ``indexed, keyset`` (the page after a known
   last row, ``WHERE (urgency_rank, updated_at, id)`` beyond it, ``LIMIT 50``: what a "next"
   link that carries the last row costs at any depth). SQLite's partial indexes cannot serve
   the view's ``status IN (%s, ...)`` because the values are bound parameters, hence the flag.

COUNT: the paginator's exact COUNT(*) against one capped at 1,001 rows ("more than 1,000").
Search ``q=tiktok`` and ``q=<reference>``: as the view writes it (iexact on reference, platform,
country and tag name, OR'd over a LEFT JOIN to the tags, then DISTINCT on every column) against
``pk IN (tag subquery)`` without DISTINCT, and against exact matches on the normalised text
(reference and country upper-case, platform lower-case, tag slug) with indexes on
``(organisation_id, platform)`` and ``(organisation_id, country)``; and against matching only
the field the text can be (a reference ``C-XXXXXXX``, else a platform slug, else a two-letter
country, else a tag), one equality that an index serves.
"""

from __future__ import annotations

import math
import re
import time
from collections.abc import Callable
from typing import Any

OPEN = ("awaiting_platform", "escalated", "in_progress", "new", "triaged")
SIZE = 50
ORDER = ("urgency_rank", "-updated_at", "pk")
PAGE_COLUMNS = (
    "as is",
    "ids first",
    "64 MB cache",
    "ANALYZE",
    "indexed",
    "indexed, ids first",
    "indexed, keyset",
)


def _p50(fn: Callable[[], Any], repeat: int) -> float:
    t0 = time.perf_counter()
    fn()
    if time.perf_counter() - t0 > 0.5:
        repeat = min(repeat, 3)  # slow variants: 3 runs are enough to tell
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    times.sort()
    return round(times[max(0, math.ceil(len(times) / 2) - 1)], 1)


def run(org: Any, user: Any, repeat: int = 5) -> dict:
    from django.db import connection
    from django.db.models import Q, Subquery
    from django.utils.text import slugify

    from amparo.cases.models import Case, Tag
    from amparo.cases.views import VIEWS
    from amparo.core.platforms import is_platform

    sqlite = connection.vendor == "sqlite"
    through = Case.tags.through
    state = {"indexed": False}

    def base(view: str) -> Any:
        qs = Case.objects.filter(organisation=org)
        if view == "tag":
            return qs.filter(tags__name="elections")
        if view == "open" and state["indexed"]:
            return qs.extra(where=["cases_case.bench_is_open = 1"])
        return VIEWS[view](qs, user)

    def full(qs: Any) -> Any:
        return qs.select_related("assignee", "data_key").prefetch_related("tags")

    def as_is(qs: Any, offset: int) -> list:
        return list(full(qs).order_by(*ORDER)[offset : offset + SIZE])

    def ids_first(qs: Any, offset: int) -> list:
        ids = qs.order_by(*ORDER).values("pk")[offset : offset + SIZE]
        if "bench_is_open" in str(qs.query):
            # The open flag is raw SQL that names the table, which a subquery would alias
            # (and so correlate); read the ids with their own query instead.
            ids = [row["pk"] for row in ids]
        return list(full(Case.objects.filter(pk__in=ids)).order_by(*ORDER))

    def keyset(qs: Any, after: Case) -> list:
        r, u, i = after.urgency_rank, after.updated_at, after.pk
        beyond = (
            Q(urgency_rank__gt=r)
            | Q(urgency_rank=r, updated_at__lt=u)
            | Q(urgency_rank=r, updated_at=u, pk__gt=i)
        )
        return list(full(qs.filter(beyond)).order_by(*ORDER)[:SIZE])

    def execute(*statements: str) -> None:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)

    def plan(qs: Any) -> str:
        sql, params = qs.query.sql_with_params()
        with connection.cursor() as cursor:
            if sqlite:
                cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
                return "; ".join(r[-1] for r in cursor.fetchall())
            cursor.execute("EXPLAIN " + sql, params)
            return " ".join(r[0].strip() for r in cursor.fetchall()[:4])

    out: dict[str, Any] = {"pages": {}, "count": {}, "search": {}, "plans": {}}
    views = ("all", "open", "tag")
    offsets: dict[str, dict[str, int]] = {}
    for view in views:
        last = (math.ceil(base(view).count() / SIZE) - 1) * SIZE
        offsets[view] = {"first": 0, "last": last}

    def pages(column: str, fn: Callable[[Any, int], list], only: tuple = views) -> None:
        for view in only:
            for where, offset in offsets[view].items():
                out["pages"].setdefault(f"{view} {where}", {})[column] = _p50(
                    lambda v=view, o=offset: fn(base(v), o), repeat
                )

    # 1-3: the data as the product leaves it.
    pages("as is", as_is)
    pages("ids first", ids_first)
    for view in views:
        out["plans"][f"{view} as is"] = plan(full(base(view)).order_by(*ORDER)[:SIZE])
    if sqlite:
        execute("PRAGMA cache_size = -65536", "PRAGMA temp_store = MEMORY")
        pages("64 MB cache", as_is)
        execute("PRAGMA cache_size = -2000", "PRAGMA temp_store = DEFAULT")

    # COUNT and search, before any index or statistics are added.
    q, ref = "tiktok", Case.objects.filter(organisation=org).values_list("reference", flat=True)[7]

    def as_written(text: str) -> Any:
        return (
            Case.objects.filter(organisation=org)
            .filter(
                Q(reference__iexact=text)
                | Q(platform__iexact=text)
                | Q(tags__name__iexact=text)
                | Q(country__iexact=text)
            )
            .distinct()
        )

    def no_distinct(text: str) -> Any:
        tagged = through.objects.filter(
            tag__in=Tag.objects.filter(organisation=org, name__iexact=text)
        ).values("case_id")
        return Case.objects.filter(organisation=org).filter(
            Q(reference__iexact=text)
            | Q(platform__iexact=text)
            | Q(pk__in=Subquery(tagged))
            | Q(country__iexact=text)
        )

    def exact(text: str) -> Any:
        tagged = through.objects.filter(
            tag__in=Tag.objects.filter(organisation=org, name=slugify(text))
        ).values("case_id")
        return Case.objects.filter(organisation=org).filter(
            Q(reference=text.upper())
            | Q(platform=text.lower())
            | Q(pk__in=Subquery(tagged))
            | Q(country=text.upper())
        )

    def one_arm(text: str) -> Any:
        """Only the field the text can be: a reference, a platform, a country, else a tag."""
        cases = Case.objects.filter(organisation=org)
        if re.fullmatch(r"C-[A-Z2-9]{7}", text.upper()):
            return cases.filter(reference=text.upper())
        if is_platform(text.lower()):
            return cases.filter(platform=text.lower())
        if len(text) == 2 and text.isalpha():
            return cases.filter(country=text.upper())
        tagged = through.objects.filter(tag__organisation=org, tag__name=slugify(text))
        return cases.filter(pk__in=Subquery(tagged.values("case_id")))

    for view in ("all", "open"):
        qs = base(view)
        out["count"][view] = {
            "exact": _p50(lambda s=qs: s.count(), repeat),
            "capped at 1,001": _p50(lambda s=qs: s.order_by()[:1001].count(), repeat),
        }
    for name, text in (("q=tiktok", q), ("q=<reference>", ref)):
        assert as_written(text).count() == no_distinct(text).count() == exact(text).count()
        out["search"][name] = {
            "as written": {
                "COUNT": _p50(lambda t=text: as_written(t).count(), repeat),
                "page 1": _p50(lambda t=text: as_is(as_written(t), 0), repeat),
            },
            "no DISTINCT": {
                "COUNT": _p50(lambda t=text: no_distinct(t).count(), repeat),
                "COUNT capped at 1,001": _p50(
                    lambda t=text: no_distinct(t).order_by()[:1001].count(), repeat
                ),
                "page 1": _p50(lambda t=text: as_is(no_distinct(t), 0), repeat),
                "page 1, ids first": _p50(lambda t=text: ids_first(no_distinct(t), 0), repeat),
            },
        }

    # 4: statistics (SQLite only; PostgreSQL had VACUUM ANALYZE after the load).
    if sqlite:
        execute("ANALYZE")
        pages("ANALYZE", as_is)
        out["plans"]["tag after ANALYZE"] = plan(full(base("tag")).order_by(*ORDER)[:SIZE])

    # 5: indexes that match the order, and a stored "open" flag with its own.
    execute(
        "CREATE INDEX bench_case_order_idx ON cases_case "
        "(organisation_id, urgency_rank, updated_at DESC, id)",
        "ALTER TABLE cases_case ADD COLUMN bench_is_open smallint NOT NULL DEFAULT 0",
        "UPDATE cases_case SET bench_is_open = 1 WHERE status IN ("
        + ", ".join(f"'{s}'" for s in OPEN)
        + ")",
        "CREATE INDEX bench_case_open_order_idx ON cases_case "
        "(organisation_id, bench_is_open, urgency_rank, updated_at DESC, id)",
        "CREATE INDEX bench_case_platform_idx ON cases_case (organisation_id, platform)",
        "CREATE INDEX bench_case_country_idx ON cases_case (organisation_id, country)",
        "VACUUM ANALYZE cases_case" if not sqlite else "ANALYZE",
    )
    state["indexed"] = True
    assert (
        base("open").count() == VIEWS["open"](Case.objects.filter(organisation=org), user).count()
    )
    pages("indexed", as_is)
    pages("indexed, ids first", ids_first)
    for view in views:
        offset = offsets[view]["last"]
        if offset:
            after = as_is(base(view), offset - 1)[0]
            out["pages"][f"{view} last"]["indexed, keyset"] = _p50(
                lambda v=view, a=after: keyset(base(v), a), repeat
            )
        out["plans"][f"{view} indexed, ids first (inner)"] = plan(
            base(view).order_by(*ORDER).values("pk")[offset : offset + SIZE]
        )
    for name, text in (("q=tiktok", q), ("q=<reference>", ref)):
        assert exact(text).count() == one_arm(text).count()
        out["search"][name]["one field by the shape of q, indexed"] = {
            "COUNT": _p50(lambda t=text: one_arm(t).count(), repeat),
            "page 1, ids first": _p50(lambda t=text: ids_first(one_arm(t), 0), repeat),
        }
        out["search"][name]["exact, indexed"] = {
            "COUNT": _p50(lambda t=text: exact(t).count(), repeat),
            "COUNT capped at 1,001": _p50(
                lambda t=text: exact(t).order_by()[:1001].count(), repeat
            ),
            "page 1, ids first": _p50(lambda t=text: ids_first(exact(t), 0), repeat),
        }
    out["plans"]["search exact, indexed"] = plan(exact(q).values("pk"))
    return out


def render(results: dict[str, dict]) -> list[str]:
    """Markdown: one table of page variants, one of COUNT and search variants (ms, p50)."""
    lines = [
        "| database | page of 50 | " + " | ".join(PAGE_COLUMNS) + " |",
        "|---|---|" + "---:|" * len(PAGE_COLUMNS),
    ]
    for db, alt in results.items():
        for page, variants in alt["pages"].items():
            cells = [f"{variants[c]:.1f}" if c in variants else "—" for c in PAGE_COLUMNS]
            lines.append(f"| {db} | {page} | " + " | ".join(cells) + " |")
    lines += ["", "| database | query | variant | ms |", "|---|---|---|---:|"]
    for db, alt in results.items():
        for view, variants in alt["count"].items():
            for name, ms in variants.items():
                lines.append(f"| {db} | COUNT, view {view} | {name} | {ms:.1f} |")
        for search, variants in alt["search"].items():
            for variant, figures in variants.items():
                for what, ms in figures.items():
                    lines.append(f"| {db} | search {search} | {variant}: {what} | {ms:.1f} |")
    return lines
