"""Benchmark of the case list (`/o/<slug>/cases/`) with 100,000 cases, on SQLite and PostgreSQL.

    .venv/bin/python bench/cases/run.py                      # the full run (make bench-cases)
    .venv/bin/python bench/cases/run.py --databases sqlite --repeat 5 --no-record   # quick look

For each database: a fresh one (a temporary AMPARO_DATA_DIR for SQLite; a database
``amparo_bench_cases`` created and dropped on PostgreSQL), ``amparo migrate``, then one worker
process (this file with ``--worker``) that generates the cases (generate.py) and requests the list
through Django's test client, signed in as a caseworker with TOTP, for every work view, page
size and page. Per combination: warm-up requests, one request under CaptureQueriesContext for
the query count, then ``--repeat`` timed requests (wall time of ``client.get``, the whole
middleware stack and template included), with every SQL statement timed through an execute
wrapper, so the paginator's COUNT and the page query are reported apart. Every page past the
first is measured twice: by its number (OFFSET) and as reached by the "Next" link of the page
before it (a keyset cursor). On SQLite the worker's daily statistics job runs after the load
(``--no-sqlite-statistics`` to measure without), as VACUUM ANALYZE does on PostgreSQL.

Connections are handled as in production: SQLite (CONN_MAX_AGE 0) opens a connection for each
request, so that time is included; PostgreSQL keeps its connection (CONN_MAX_AGE 60).

Prints a table and replaces the section "Case list (bench/cases)" of bench/RESULTS.md (unless
``--no-record``); the raw figures go to ``--json`` (default: a file in the temp dir).
"""

from __future__ import annotations

import argparse
import base64
import json
import math
import os
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from html import unescape
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
SECTION = "## Case list (bench/cases)"
sys.path.insert(0, str(HERE.parent))
import results_file  # noqa: E402

PG_DB = "amparo_bench_cases"
GOAL_MS = 150.0

# name -> query string (without page/size); the work views of cases/views.py, a search, a tag.
VIEWS = {
    "open": "view=open",
    "all": "view=all",
    "mine": "view=mine",
    "urgent": "view=urgent",
    "overdue": "view=overdue",
    "search": "view=all&q=tiktok",
    "search-ref": "view=all&q={ref}",
    "search-country": "view=all&q=mx",
    "search-tag": "view=all&q=elections",
    "tag": "view=all&tag=elections",
}
PAGES = (1, 2, 100, 1000, "last")
SIZES = (25, 50, 100)


# --------------------------------------------------------------------------------- worker side


def pct(values: list[float], p: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def worker(args: argparse.Namespace) -> dict:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "amparo.settings")
    sys.path.insert(0, str(HERE))
    import django

    django.setup()
    import generate
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    out: dict = {"vendor": connection.vendor}
    gen = generate.generate_cases(args.cases, seed=args.seed)
    people = gen["people"]
    out["generate"] = gen["stats"]
    if connection.vendor == "postgresql":
        # What autovacuum does shortly after a bulk load (statistics, visibility map).
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    elif args.sqlite_statistics:
        # What the worker's daily job (worker.optimize_database) does within a day of the load:
        # the planner statistics, sampled (ANALYZE with PRAGMA analysis_limit).
        from amparo.worker.jobs import optimize_database

        optimize_database()
    out["sqlite_statistics"] = connection.vendor == "sqlite" and args.sqlite_statistics
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT version()")
        else:
            cursor.execute("SELECT 'SQLite ' || sqlite_version()")
        out["server"] = cursor.fetchone()[0].split(" on ")[0]

    from amparo.cases.models import Case

    user = people["workers"][0]  # the busiest caseworker: "mine" is their queue
    generate.give_totp(user)
    ref = Case.objects.order_by("opened_at").values_list("reference", flat=True)[n_half(args)]
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    base = f"/o/{generate.ORG_SLUG}/cases/"

    timings: list[tuple[str, float]] = []

    def timer(execute, sql, params, many, context):
        t0 = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            timings.append((sql, time.perf_counter() - t0))

    def get(url: str):
        if connection.vendor == "sqlite":
            connection.close()  # CONN_MAX_AGE 0: every request opens its own connection
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        return response

    def kind(sql: str) -> str:
        s = sql.lstrip().upper()
        if "CASES_CASE" not in s:
            return "other"
        if s.startswith("SELECT COUNT(") or "COUNT(*)" in s[:80]:
            return "count"
        if '"CASES_CASE_TAGS"' in s and s.startswith('SELECT ("CASES_CASE_TAGS"'):
            return "tags"
        if "LIMIT" in s:
            return "page"
        return "other"

    views = [v for v in args.views.split(",") if v]
    sizes = [int(s) for s in args.sizes.split(",")]
    rows = []
    deadline = time.monotonic() + args.budget
    measured_at = time.monotonic()

    last_sql: list[str] = []  # the statements of the last measured page, in full

    def measure(view: str, size: int, page: int, via: str, url: str) -> tuple[dict, str]:
        # The first request warms up, counts the queries and reads "Page N of M".
        t0 = time.perf_counter()
        with CaptureQueriesContext(connection) as captured:
            html = get(url).content.decode()
        warm_s = time.perf_counter() - t0
        m = re.search(r"Page (\d+) of (\d+)", html)
        assert m, html[-2000:]
        served, last = int(m.group(1)), int(m.group(2))
        shown = html.count('name="case"')
        queries = [q["sql"] for q in captured.captured_queries]
        last_sql[:] = queries
        # The session write (at most every 30 s) and the transaction around it.
        session_writes = sum(
            1
            for q in queries
            if ("django_session" in q and not q.lstrip().upper().startswith("SELECT"))
            or q.strip().upper() in ("BEGIN", "BEGIN IMMEDIATE", "COMMIT")
        )
        # Slow combinations get fewer runs so the whole run stays near 12 minutes:
        # 3 when a request takes over 1 s, 5 over 0.3 s or once past the budget.
        if warm_s > 1.0:
            reps = 3
        elif warm_s > 0.3 or time.monotonic() > deadline:
            reps = 5
        else:
            reps = min(args.repeat, max(5, int(args.combo_seconds / warm_s)))
        walls, counts, pages_, nqueries = [], [], [], []
        combo_started = time.perf_counter() - warm_s
        with connection.execute_wrapper(timer):
            for _ in range(reps):
                timings.clear()
                t0 = time.perf_counter()
                get(url)
                walls.append((time.perf_counter() - t0) * 1000)
                nqueries.append(len(timings))
                counts.append(sum(t for s, t in timings if kind(s) == "count") * 1000)
                pages_.append(sum(t for s, t in timings if kind(s) == "page") * 1000)
        row = {
            "view": view,
            "size": size,
            "page": page,
            "via": via,
            "served": served,
            "last": last,
            "rows": shown,
            "n": reps,
            "p50": round(pct(walls, 50), 1),
            "p95": round(pct(walls, 95), 1),
            "max": round(max(walls), 1),
            "queries": len(queries) - session_writes,
            "session_writes": session_writes,
            "queries_timed": sorted(set(nqueries)),
            "count_p50": round(pct(counts, 50), 1),
            "page_query_p50": round(pct(pages_, 50), 1),
            "page_query_p95": round(pct(pages_, 95), 1),
            "sql": [q[:160] for q in queries],
            "combo_s": round(time.perf_counter() - combo_started, 2),
        }
        rows.append(row)
        print(
            f"  {connection.vendor:10} {view:14} size {size:3} page {page:>4}/{last:<4} "
            f"{'next' if via == 'next' else '    '} "
            f"p50 {row['p50']:7.1f} p95 {row['p95']:7.1f} ms  q {row['queries']:2}  "
            f"count {row['count_p50']:6.1f}  page-q {row['page_query_p50']:6.1f} ms",
            flush=True,
        )
        return row, html

    def next_link(html: str) -> str:
        m = re.search(r'<a href="([^"]*)" rel="next">', html)
        assert m, "no Next link"
        return base + unescape(m.group(1))

    for view in views:
        query = VIEWS[view].format(ref=ref)
        queries: list[str] = []
        for size in sizes:
            wanted, last = [1], 1
            while wanted:
                page = wanted.pop(0)
                row, _ = measure(
                    view, size, page, "page", f"{base}?{query}&size={size}&page={page}"
                )
                assert row["served"] == page, (view, size, page, row["served"])
                queries = list(last_sql)
                if page == 1:
                    last = row["last"]
                    wanted = sorted(
                        {last if p == "last" else p for p in PAGES if p == "last" or p <= last}
                        - {1}
                    )
                if page > 1 and args.next_links:
                    # The same page reached by the "Next" link of the page before it: a cursor
                    # that carries that page's last row (keyset), no OFFSET.
                    before = get(f"{base}?{query}&size={size}&page={page - 1}").content.decode()
                    keyset, _ = measure(view, size, page, "next", next_link(before))
                    assert keyset["served"] == page and keyset["rows"] == row["rows"], (
                        view,
                        size,
                        page,
                    )
            if args.explain:
                out.setdefault("sql", {})[f"{view}/{size}"] = [
                    q for q in queries if "cases_case" in q
                ]
    out["rows"] = rows
    out["measure_s"] = round(time.monotonic() - measured_at, 1)
    if args.alternatives:
        import alternatives

        print("  before and after (alternatives.py, ORM level, no template) ...", flush=True)
        t0 = time.monotonic()
        out["alternatives"] = alternatives.run(people["org"], user, repeat=5)
        out["alternatives_s"] = round(time.monotonic() - t0, 1)
    out["user_open_cases"] = Case.objects.filter(
        assignee=user,
        status__in=["new", "triaged", "in_progress", "escalated", "awaiting_platform"],
    ).count()
    return out


def n_half(args: argparse.Namespace) -> int:
    return args.cases // 2


# --------------------------------------------------------------------------------- driver side


def sh(cmd: str) -> str:
    try:
        return subprocess.run(
            cmd, shell=True, capture_output=True, text=True, check=False, timeout=30
        ).stdout.strip()
    except Exception:
        return ""


def machine() -> dict:
    model = next(
        (
            line.split(":", 1)[1].strip()
            for line in sh("lscpu").splitlines()
            if line.startswith("Model name")
        ),
        "",
    )
    return {
        "date": sh("date -u '+%Y-%m-%d %H:%M UTC'"),
        "nproc": sh("nproc"),
        "cpu": model,
        "free": sh("free -h"),
        "python": sys.version.split()[0],
    }


def uptime() -> str:
    out = sh("uptime")
    return out.split("load average:")[-1].strip() if "load average" in out else out


def base_env(data_dir: Path) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("AMPARO_") and k not in ("DATABASE_URL", "DATABASE_URL_FILE")
    }
    env.update(
        DJANGO_SETTINGS_MODULE="amparo.settings",
        AMPARO_SECRET_KEY=secrets.token_urlsafe(50),
        AMPARO_KEK=base64.urlsafe_b64encode(os.urandom(32)).decode().rstrip("="),
        AMPARO_DATA_DIR=str(data_dir),
        AMPARO_ALLOWED_HOSTS="testserver,localhost,127.0.0.1",
        AMPARO_LOG_LEVEL="WARNING",
    )
    return env


def pg_admin(sql: str, url: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(sql)


def run_database(db: str, args: argparse.Namespace, bin_dir: Path) -> dict:
    data_dir = Path(tempfile.mkdtemp(prefix=f"amparo-bench-cases-{db}-"))
    env = base_env(data_dir)
    admin_url = args.pg_url.rsplit("/", 1)[0] + "/postgres"
    if db == "postgres":
        env["DATABASE_URL"] = args.pg_url.rsplit("/", 1)[0] + f"/{PG_DB}"
        pg_admin(f"DROP DATABASE IF EXISTS {PG_DB} WITH (FORCE)", admin_url)
        pg_admin(f"CREATE DATABASE {PG_DB}", admin_url)
    try:
        t0 = time.perf_counter()
        subprocess.run(
            [str(bin_dir / "amparo"), "migrate", "--no-input", "-v", "0"],
            env=env,
            cwd=data_dir,
            check=True,
        )
        migrate_s = time.perf_counter() - t0
        out_json = data_dir / "worker.json"
        cmd = [sys.executable, str(HERE / "run.py"), "--worker", "--out", str(out_json)]
        for name in ("cases", "seed", "repeat", "views", "sizes", "budget", "combo_seconds"):
            cmd += [f"--{name.replace('_', '-')}", str(getattr(args, name))]
        if args.explain:
            cmd.append("--explain")
        if not args.next_links:
            cmd.append("--no-next-links")
        if not args.sqlite_statistics:
            cmd.append("--no-sqlite-statistics")
        if not args.alternatives:
            cmd.append("--no-alternatives")
        subprocess.run(cmd, env=env, cwd=data_dir, check=True)
        result = json.loads(out_json.read_text(encoding="utf-8"))
        result["migrate_s"] = round(migrate_s, 1)
        return result
    finally:
        if args.keep:
            # The environment the data needs (its KEK opens the titles), for a later look.
            keep = {k: v for k, v in env.items() if k.startswith("AMPARO_") or k == "DATABASE_URL"}
            (data_dir / "bench.env").write_text(
                "".join(f"export {k}='{v}'\n" for k, v in keep.items()), encoding="utf-8"
            )
            print(f"kept {data_dir} (env: {data_dir / 'bench.env'})")
        else:
            shutil.rmtree(data_dir, ignore_errors=True)
            if db == "postgres":
                pg_admin(f"DROP DATABASE IF EXISTS {PG_DB} WITH (FORCE)", admin_url)


def table(results: dict[str, dict]) -> str:
    lines = [
        "| database | view | page (of) | size | p50 ms | p95 ms | runs | queries | COUNT ms "
        "| page query ms |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for db, res in results.items():
        for r in res["rows"]:
            page = f"{r['page']} ({r['last']})" if r["page"] in (1, r["last"]) else str(r["page"])
            if r.get("via") == "next":
                page += " by Next"
            lines.append(
                f"| {db} | {r['view']} | {page} | {r['size']} | {r['p50']:.1f} | {r['p95']:.1f} "
                f"| {r['n']} | {r['queries']} | {r['count_p50']:.1f} | {r['page_query_p50']:.1f} |"
            )
    return "\n".join(lines)


def verdict(results: dict[str, dict]) -> tuple[list[str], bool]:
    lines, met = [], True
    for db, res in results.items():
        rows = res["rows"]
        worst = max(rows, key=lambda r: r["p95"])
        slow = [r for r in rows if r["p95"] >= GOAL_MS]
        ok_time = not slow
        # Query count must not depend on the page size: same view and page position.
        by_key: dict[tuple, set[int]] = {}
        for r in rows:
            pos = "last" if r["page"] == r["last"] else r["page"]
            by_key.setdefault((r["view"], pos, r.get("via", "page")), set()).add(r["queries"])
        varying = {k: v for k, v in by_key.items() if len(v) > 1}
        all_q = sorted({r["queries"] for r in rows})
        ok_q = not varying
        met &= ok_time and ok_q
        lines.append(
            f"- {db}: p95 < {GOAL_MS:.0f} ms on every page: "
            + (
                f"met (worst p95 {worst['p95']:.1f} ms, {worst['view']} page {worst['page']} "
                f"size {worst['size']})"
                if ok_time
                else f"NOT met on {len(slow)} of {len(rows)} combinations (worst p95 "
                f"{worst['p95']:.1f} ms: {worst['view']} page {worst['page']} of "
                f"{worst['last']}, size {worst['size']})"
            )
        )
        by_view: dict[tuple, set[int]] = {}
        for r in rows:
            by_view.setdefault((r["view"], r["size"]), set()).add(r["queries"])
        same_for_next = all(len(v) == 1 for v in by_view.values())
        lines.append(
            f"- {db}: queries constant in page size: "
            + (
                f"met ({', '.join(map(str, all_q))} queries per request whatever the size"
                + (
                    "; the same for pages reached by the Next link"
                    if same_for_next and any(r.get("via") == "next" for r in rows)
                    else ""
                )
                + ")"
                if ok_q
                else "NOT met: " + "; ".join(f"{k}: {sorted(v)}" for k, v in varying.items())
            )
        )
    return lines, met


def render(results: dict, meta: dict, args: argparse.Namespace) -> str:
    m = meta["machine"]
    gen_lines = []
    for db, res in results.items():
        g = res["generate"]
        gen_lines.append(
            f"- {db} ({res['server']}): {args.cases:,} cases generated in {g['seconds']} s "
            f"(migrate {res['migrate_s']} s); {g['open']:,} open, {g['assigned']:,} assigned, "
            f"{g['tagged']:,} tagged ({g['tag_rows']:,} tag rows), {g['with_due']:,} open with a "
            f"due time ({g['overdue']:,} overdue); the signed-in caseworker has "
            f"{res['user_open_cases']:,} open cases"
        )
    verdict_lines, met = verdict(results)
    return "\n".join(
        [
            SECTION,
            "",
            f"Run {m['date']} with `{meta['command']}` ({meta['seconds']:.0f} s in all).",
            "",
            "```",
            f"nproc: {m['nproc']}",
            f"CPU: {m['cpu']}",
            m["free"],
            f"Python {m['python']}",
            f"load average before: {meta['load_before']}",
            f"load average after:  {meta['load_after']}",
            "```",
            "",
            "Data:",
            "",
            *gen_lines,
            "",
            f"Each row: up to {args.repeat} requests timed (column 'runs': 5 when a request "
            "takes over 0.3 s, 3 over 1 s, to keep the run near 12 minutes; with 3 or 5 runs "
            "the p95 is the slowest) after one warm-up request under "
            "CaptureQueriesContext (the query count); wall time of Django's test client (middleware, "
            "view, template, the connection SQLite opens per request); p50/p95 by nearest rank. "
            "Queries: the statements one request runs (a session write that happens once every "
            "30 s is left out). COUNT: the paginator's COUNT(*) alone; page query: the SELECT of "
            "the page's rows; both p50. 'page (of)': the number of pages is given for the first "
            "and last page; pages past the last are not requested (the view would serve the "
            "last one); 'by Next': the same page reached by the Next link of the page before it "
            "(a cursor, no OFFSET). search = `q=tiktok` (a platform: matches thousands), "
            "search-ref = `q=<a case reference>`, search-country = `q=mx`, search-tag = "
            "`q=elections` (a tag), tag = `tag=elections` (the tag filter).",
            "",
            table(results),
            "",
            "Goal (p95 < 150 ms at 100,000 cases, queries constant in page size): "
            + (
                f"**not assessed** (this run had {args.cases:,} cases)."
                if args.cases != 100_000
                else "**NOT met**."
                if not met
                else "**not assessed** (a database was not measured)."
                if meta.get("skipped")
                else "**met**."
            ),
            "",
            *verdict_lines,
            *[f"- {line}" for line in meta.get("skipped", [])],
            "",
            *findings(results),
            *alternatives_lines(results),
        ]
    )


def findings(results: dict) -> list[str]:
    """Where the time goes, from the figures: page position, page query, COUNT."""
    lines = ["Where the time goes (p50, averaged over views and sizes):", ""]
    for db, res in results.items():
        rows = res["rows"]
        for label, sel in (
            ("page 1", lambda r: r["page"] == 1),
            ("page 2", lambda r: r["page"] == 2),
            (
                "pages 100 and 1000 (where they exist)",
                lambda r: r["page"] in (100, 1000) and r["page"] != r["last"],
            ),
            ("last page (2+ pages)", lambda r: r["page"] == r["last"] and r["last"] > 2),
            ("pages 100, 1000 and last by the Next link", lambda r: r["page"] > 2),
        ):
            by_next = label.endswith("Next link")
            chosen = [r for r in rows if sel(r) and (r.get("via") == "next") == by_next]
            if not chosen:
                continue
            wall = sum(r["p50"] for r in chosen) / len(chosen)
            page = sum(r["page_query_p50"] for r in chosen) / len(chosen)
            count = sum(r["count_p50"] for r in chosen) / len(chosen)
            over = sum(r["p95"] >= GOAL_MS for r in chosen)
            lines.append(
                f"- {db}, {label}: {wall:.0f} ms a request, of which the page query "
                f"{page:.0f} ms and the COUNT {count:.0f} ms; p95 over {GOAL_MS:.0f} ms in "
                f"{over} of {len(chosen)}"
            )
    for db, res in results.items():
        rest = []
        for size in sorted({r["size"] for r in res["rows"]}):
            left = sorted(
                r["p50"] - r["count_p50"] - r["page_query_p50"]
                for r in res["rows"]
                if r["size"] == size
            )
            rest.append(f"{left[len(left) // 2]:.0f} ms at size {size}")
        lines.append(
            f"- {db}, the rest of a request (p50 less COUNT and page query: middleware, session, "
            "user, MFA and membership queries, the tag prefetch, decrypting titles, the "
            f"template), median over views and pages: {', '.join(rest)}"
        )
    return [*lines, ""]


HOW = (
    "How the list queries (cases/listing.py, see docs/cases.md). Indexes follow the list's order "
    "(urgency_rank, updated_at DESC, id): `case_list_idx` for all cases, `case_open_list_idx` "
    "on the stored open flag for the open views (it also holds the assignee and next due time, "
    "so 'mine' and 'overdue' are decided in the index), `case_platform_idx` and "
    "`case_country_idx` for the search. A page is one statement: its ids are chosen in a "
    "subquery that reads only the index (`id IN (SELECT id ... LIMIT n OFFSET m)`), then only "
    "those rows are read with the data key and the assignee's name. A tag's cases come from "
    "`case_tag_by_tag_idx` and their place in the order from `case_id_order_idx`, without "
    "reading the cases' rows. The Next link carries the page's last row in a signed cursor: "
    "the next page starts beyond it, without OFFSET. Search matches only the fields the text "
    "can be (a reference, a platform, a country, a tag), each an equality an index serves. "
    "SQLite gets planner statistics from the worker's daily job (ANALYZE), which the benchmark "
    "runs after the load unless `--no-sqlite-statistics`."
)


def alternatives_lines(results: dict) -> list[str]:
    alt = {db: res["alternatives"] for db, res in results.items() if "alternatives" in res}
    stats = [
        f"- {db}: planner statistics "
        + ("gathered by the daily job after the load" if res.get("sqlite_statistics") else "none")
        for db, res in results.items()
        if res.get("vendor") == "sqlite"
    ]
    if not alt:
        return [HOW, "", *stats, ""] if stats else [HOW, ""]
    import alternatives

    summary = []
    for db, a in alt.items():
        worst_before = max(v["before"] for v in a["pages"].values())
        worst_now = max(max(v["now"], v.get("now, Next link", 0)) for v in a["pages"].values())
        summary.append(
            f"- {db}: slowest page of 50 (all, open, tag; first and last) {worst_before:.0f} ms "
            f"with the former query and indexes, {worst_now:.0f} ms now"
        )
    plans = [
        f"- {db}, {name}: `{text}`" for db, a in alt.items() for name, text in a["plans"].items()
    ]
    return [
        HOW,
        "",
        *stats,
        "",
        "Before and after (`bench/cases/alternatives.py`: the same data, ORM level, no "
        "template, p50 of 5, 3 for variants over 0.5 s; 'before' is the list's former query "
        "once the indexes this work added are dropped and, on SQLite, the statistics deleted; "
        "see bench/cases/README.md):",
        "",
        *alternatives.render(alt),
        "",
        *summary,
        "",
        "Query plans (SQLite: EXPLAIN QUERY PLAN; PostgreSQL: the first lines of EXPLAIN):",
        "",
        *plans,
        "",
    ]


def record(section: str) -> None:
    results_file.replace_section(SECTION, section)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--cases", type=int, default=100_000)
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--repeat", type=int, default=20, help="timed requests per combination")
    p.add_argument("--databases", default="sqlite,postgres")
    p.add_argument("--views", default=",".join(VIEWS))
    p.add_argument("--sizes", default=",".join(map(str, SIZES)))
    p.add_argument(
        "--combo-seconds",
        type=float,
        default=2.5,
        help="aim for about this long per combination: slow pages get fewer runs (at least 5)",
    )
    p.add_argument(
        "--budget",
        type=float,
        default=200,
        help="seconds of measuring per database after which each combination gets 5 runs",
    )
    p.add_argument(
        "--no-next-links",
        dest="next_links",
        action="store_false",
        help="do not time the pages reached by the Next link (keyset cursor)",
    )
    p.add_argument(
        "--no-sqlite-statistics",
        dest="sqlite_statistics",
        action="store_false",
        help="SQLite: measure without the planner statistics the daily job gathers",
    )
    p.add_argument(
        "--no-alternatives",
        dest="alternatives",
        action="store_false",
        help="skip the before-and-after query timings (alternatives.py)",
    )
    p.add_argument(
        "--pg-url",
        default=os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/postgres"),
        help="PostgreSQL server (the database name is replaced by " + PG_DB + ")",
    )
    p.add_argument("--keep", action="store_true", help="keep the data dir / PG database")
    p.add_argument("--explain", action="store_true", help="keep the SQL in the JSON output")
    p.add_argument("--no-record", action="store_true", help="do not touch bench/RESULTS.md")
    p.add_argument("--json", type=Path, default=None, help="write all figures here")
    p.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    p.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    p.add_argument(
        "--render-only",
        type=Path,
        metavar="JSON",
        help="rewrite the section from the figures a previous run saved (--json)",
    )
    args = p.parse_args(argv)

    if args.render_only:
        saved = json.loads(args.render_only.read_text(encoding="utf-8"))
        args.cases, args.repeat = saved["meta"]["cases"], saved["meta"]["repeat"]
        section = render(saved["results"], saved["meta"], args)
        print(section)
        if not args.no_record:
            record(section)
            print("recorded in bench/RESULTS.md")
        return 0

    if args.worker:
        result = worker(args)
        args.out.write_text(json.dumps(result), encoding="utf-8")
        return 0

    started = time.perf_counter()
    meta = {
        "cases": args.cases,
        "repeat": args.repeat,
        "machine": machine(),
        "load_before": uptime(),
        "command": " ".join(
            [
                ".venv/bin/python",
                "bench/cases/run.py",
                *(argv if argv is not None else sys.argv[1:]),
            ]
        ).strip(),
    }
    print(f"load average before: {meta['load_before']}", flush=True)
    bin_dir = Path(sys.executable).parent
    results: dict[str, dict] = {}
    for db in [d.strip() for d in args.databases.split(",") if d.strip()]:
        label = {"sqlite": "SQLite", "postgres": "PostgreSQL"}[db]
        if db == "postgres":
            try:
                pg_admin("SELECT 1", args.pg_url.rsplit("/", 1)[0] + "/postgres")
            except Exception as exc:
                reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc)
                why = f"no PostgreSQL answers at {args.pg_url.rsplit('/', 1)[0]} ({reason})"
                print(f"{label}: skipped, {why}", flush=True)
                meta.setdefault("skipped", []).append(f"{label}: not measured, {why}")
                continue
        print(f"{label}: migrate, generate {args.cases:,} cases, measure", flush=True)
        results[label] = run_database(db, args, bin_dir)
    meta["load_after"] = uptime()
    meta["seconds"] = time.perf_counter() - started
    print(f"load average after: {meta['load_after']}")
    section = render(results, meta, args)
    print()
    print(section)
    json_path = args.json or Path(tempfile.gettempdir()) / "amparo-bench-cases.json"
    json_path.write_text(json.dumps({"meta": meta, "results": results}, indent=1), encoding="utf-8")
    print(f"figures: {json_path}")
    if not args.no_record:
        record(section)
        print("recorded in bench/RESULTS.md")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(HERE))
    raise SystemExit(main())
