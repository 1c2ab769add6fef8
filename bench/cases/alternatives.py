"""The case list's queries before and after the changes that made it scale, on the same data.

Run by ``run.py --worker`` after the list itself has been measured, because the last step changes
the benchmark's throwaway database (it drops indexes); Amparo's models and migrations are not
touched. Every variant is timed at the ORM level (execute, fetch, build the model instances,
prefetch the tags; no template) on one connection: one warm-up run, then ``repeat`` timed runs
(3 for variants over 0.5 s), p50 reported.

Pages of 50 of the views ``all``, ``open`` and ``tag`` (``tag=elections``), first and last:

1. ``now``: what ``cases/listing.py`` runs: the page's ids chosen in a subquery that reads only
   an index in the list's order (``case_list_idx``, ``case_open_list_idx`` on the stored open
   flag; for a tag, its rows by ``case_tag_by_tag_idx`` and the cases' order columns by
   ``case_id_order_idx``), then only those rows read with their data key and the assignee's
   name (one statement), tags prefetched.
2. ``now, Next link``: the same page reached by the cursor of the page before it (keyset:
   ``WHERE (urgency_rank, updated_at, id)`` beyond the cursor, no OFFSET).
3. ``before, today's indexes``: the list's former query (the wide rows joined to the data key
   and the whole assignee row, ``status IN (...)`` for the open view, a join to the tags,
   ``ORDER BY ... LIMIT/OFFSET``) on today's schema.
4. ``before``: the former query once the indexes this work added are dropped (and, on SQLite,
   the planner statistics deleted, as nothing gathered them then): the list as it was.

Search: ``q=tiktok`` (a platform), ``q=<reference>``, ``q=mx`` (a country), ``q=elections`` (a
tag): the former search (``iexact`` on reference, platform, country and tag name, OR'd over a
LEFT JOIN to the tags, then DISTINCT over every column) against ``listing.search`` (only the
fields the text can be, each an equality an index serves): COUNT and page 1.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from typing import Any

SIZE = 50
ORDER = ("urgency_rank", "-updated_at", "pk")
OPEN = ("awaiting_platform", "escalated", "in_progress", "new", "triaged")
PAGE_COLUMNS = ("before", "before, today's indexes", "now", "now, Next link")
# Indexes this work added (cases/migrations/0003_case_list_indexes.py).
ADDED = (
    ("cases_case", "case_list_idx"),
    ("cases_case", "case_open_list_idx"),
    ("cases_case", "case_platform_idx"),
    ("cases_case", "case_country_idx"),
    ("cases_case", "case_id_order_idx"),
    ("cases_case_tags", "case_tag_by_tag_idx"),
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
    from django.db.models import Q

    from amparo.cases import listing
    from amparo.cases.models import Case

    sqlite = connection.vendor == "sqlite"
    cases = Case.objects.filter(organisation=org)

    def now_qs(view: str) -> Any:
        if view == "tag":
            return listing.with_tag(cases, org, "elections")
        return listing.work_view(cases, view, user)

    def before_qs(view: str) -> Any:
        if view == "tag":
            return cases.filter(tags__name="elections")
        if view == "open":
            return cases.filter(status__in=OPEN)
        return cases

    def before_page(qs: Any, offset: int) -> list:
        full = qs.select_related("assignee", "data_key").prefetch_related("tags")
        return list(full.order_by(*ORDER)[offset : offset + SIZE])

    def now_page(qs: Any, offset: int) -> list:
        return listing._rows(qs.order_by(*ORDER).values("pk")[offset : offset + SIZE])

    def next_page(qs: Any, after: Any) -> list:
        beyond = listing.beyond(after.urgency_rank, after.updated_at, after.pk)
        return listing._rows(qs.order_by(*ORDER).filter(beyond).values("pk")[: SIZE + 1])

    def before_search(text: str) -> Any:
        return cases.filter(
            Q(reference__iexact=text)
            | Q(platform__iexact=text)
            | Q(tags__name__iexact=text)
            | Q(country__iexact=text)
        ).distinct()

    def plan(qs: Any) -> str:
        sql, params = qs.query.sql_with_params()
        with connection.cursor() as cursor:
            if sqlite:
                cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
                return "; ".join(r[-1] for r in cursor.fetchall())
            cursor.execute("EXPLAIN " + sql, params)
            return " ".join(r[0].strip() for r in cursor.fetchall()[:4])

    out: dict[str, Any] = {"pages": {}, "search": {}, "plans": {}}
    views = ("all", "open", "tag")
    offsets = {
        view: {"first": 0, "last": (math.ceil(now_qs(view).count() / SIZE) - 1) * SIZE}
        for view in views
    }
    for view in views:
        assert now_qs(view).count() == before_qs(view).count(), view
    ref = cases.order_by("reference").values_list("reference", flat=True)[7]
    searches = {
        "q=tiktok": "tiktok",
        "q=<reference>": ref,
        "q=mx": "mx",
        "q=elections": "elections",
    }
    for text in searches.values():
        assert listing.search(cases, org, text).count() == before_search(text).count(), text

    def pages(column: str, page: Callable[[Any, int], list], qs: Callable[[str], Any]) -> None:
        for view in views:
            for where, offset in offsets[view].items():
                out["pages"].setdefault(f"{view} {where}", {})[column] = _p50(
                    lambda v=view, o=offset: page(qs(v), o), repeat
                )

    # Now: the product's queries.
    pages("now", now_page, now_qs)
    for view in views:
        offset = offsets[view]["last"]
        if offset:
            after = now_page(now_qs(view), offset - SIZE)[-1]
            out["pages"][f"{view} last"]["now, Next link"] = _p50(
                lambda v=view, a=after: next_page(now_qs(v), a), repeat
            )
        out["plans"][f"{view} now (ids)"] = plan(
            now_qs(view).order_by(*ORDER).values("pk")[offset : offset + SIZE]
        )
    for name, text in searches.items():
        found = listing.search(cases, org, text)
        out["search"].setdefault(name, {})["now"] = {
            "COUNT": _p50(lambda f=found: f.count(), repeat),
            "page 1": _p50(lambda f=found: now_page(f, 0), repeat),
        }
    out["plans"]["search q=tiktok now (ids)"] = plan(
        listing.search(cases, org, "tiktok").order_by(*ORDER).values("pk")[:SIZE]
    )

    # Before, on today's schema.
    pages("before, today's indexes", before_page, before_qs)

    # Before, as it was: without the indexes this work added, and (SQLite) without statistics.
    with connection.cursor() as cursor:
        for _table, index in ADDED:
            cursor.execute(f"DROP INDEX {index}")
        if sqlite:
            cursor.execute("DELETE FROM sqlite_stat1")
        else:
            cursor.execute("ANALYZE cases_case")
    connection.close()  # SQLite reads its statistics when a connection opens
    pages("before", before_page, before_qs)
    for view in views:
        out["plans"][f"{view} before"] = plan(
            before_qs(view).select_related("assignee", "data_key").order_by(*ORDER)[:SIZE]
        )
    for name, text in searches.items():
        found = before_search(text)
        out["search"][name]["before"] = {
            "COUNT": _p50(lambda f=found: f.count(), repeat),
            "page 1": _p50(lambda f=found: before_page(f, 0), repeat),
        }
    return out


def render(results: dict[str, dict]) -> list[str]:
    """Markdown: one table of pages, one of searches (ms, p50)."""
    lines = [
        "| database | page of 50 | " + " | ".join(PAGE_COLUMNS) + " |",
        "|---|---|" + "---:|" * len(PAGE_COLUMNS),
    ]
    for db, alt in results.items():
        for page, variants in alt["pages"].items():
            cells = [f"{variants[c]:.1f}" if c in variants else "—" for c in PAGE_COLUMNS]
            lines.append(f"| {db} | {page} | " + " | ".join(cells) + " |")
    lines += [
        "",
        "| database | search | before: COUNT | before: page 1 | now: COUNT | now: page 1 |",
        "|---|---|---:|---:|---:|---:|",
    ]
    for db, alt in results.items():
        for search, variants in alt["search"].items():
            b, n = variants["before"], variants["now"]
            lines.append(
                f"| {db} | {search} | {b['COUNT']:.1f} | {b['page 1']:.1f} "
                f"| {n['COUNT']:.1f} | {n['page 1']:.1f} |"
            )
    return lines
