"""Benchmark: Amparo against the engines of its peers on one day of 5 million statements.

    .venv/bin/python bench/tdb/run.py            # what `make bench-tdb` runs
    .venv/bin/python bench/tdb/run.py --rows 500000 --days 4 --no-record   # a quick look

1. Generates (once; cached under bench/tdb/data/) a schema-faithful nested-zip dump of one day.
2. Runs each contender in its own subprocess, so that its peak memory (RSS of the process and
   its children, the JVM included, sampled every 0.1 s) is its own: Amparo, plain PySpark in
   local mode (the engine of the Commission's toolbox), plain Polars (the engine of shantay)
   and a plain pandas baseline. Each ingests the dump into Parquet partitioned by day and
   platform, then runs the standard aggregations (see peers.AGGREGATIONS). A contender that
   runs past --timeout is stopped and reported as "did not finish".
3. Builds a store of ``--days`` days (50 million rows by default) by copying Amparo's ingested
   day under other dates (hard links for the rows; rollups rewritten with the new day), and
   times the standard aggregations over it with Amparo, from rollups and from the rows.
4. Prints a table and replaces the "DSA Transparency Database" section of bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
DATA = HERE / "data"
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))
import results_file  # noqa: E402

SECTION = "## DSA Transparency Database (bench/tdb)"
SECTION_REAL = "## DSA Transparency Database, real-format dumps (bench/tdb --mix real)"
DAY = dt.date(2025, 9, 2)


# --- workers (run in a subprocess each) ------------------------------------------------------


def worker(name: str, dump: Path, out: Path) -> dict:
    """One contender's ingest and aggregations; ``dump`` is a dump file or a folder of them
    (``--mix real``), which peers ingest one dump after another."""
    import peers

    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    result: dict = {}
    dumps = sorted(dump.glob("sor-*.zip")) if dump.is_dir() else [dump]
    t = time.perf_counter()
    if name == "amparo":
        from amparo.engines.tdb import queries
        from amparo.engines.tdb.duck import DuckDBEngine
        from amparo.engines.tdb.ingest import ingest
        from amparo.engines.tdb.store import Store

        store = Store(out / "store")
        reports = ingest(dumps, store)
        for rep in reports:
            assert rep.status == "ingested", rep.message
        result["rows"] = sum(r.rows_written for r in reports)
        result["quarantined"] = sum(r.quarantined for r in reports)
        result["empty_parts"] = sum(r.empty_parts for r in reports)
        result["csv_schemas"] = {
            k: sum(r.csv_schemas.get(k, 0) for r in reports)
            for k in sorted({k for r in reports for k in r.csv_schemas})
        }
        result["ingest_s"] = time.perf_counter() - t
        engine = DuckDBEngine(store)
        t = time.perf_counter()
        sizes = {r.aggregation.name: r.table.num_rows for r in engine.run_many(queries.STANDARD)}
        result["agg_s"] = time.perf_counter() - t
        t = time.perf_counter()
        engine.run_many(queries.STANDARD, use_rollups=False)
        result["agg_rows_s"] = time.perf_counter() - t
    elif name == "polars":
        result["rows"] = sum(peers.polars_ingest(d, out, f"{i}-") for i, d in enumerate(dumps))
        result["ingest_s"] = time.perf_counter() - t
        t = time.perf_counter()
        sizes = peers.polars_aggregate(out)
        result["agg_s"] = time.perf_counter() - t
    elif name == "pandas":
        result["rows"] = sum(peers.pandas_ingest(d, out) for d in dumps)
        result["ingest_s"] = time.perf_counter() - t
        t = time.perf_counter()
        sizes = peers.pandas_aggregate(out)
        result["agg_s"] = time.perf_counter() - t
    elif name == "spark":
        for i, d in enumerate(dumps):
            mode = "append" if i else "overwrite"
            result["rows"] = peers.spark_ingest(d, out / "parquet", out / "scratch", mode)
        result["ingest_s"] = time.perf_counter() - t
        t = time.perf_counter()
        sizes = peers.spark_aggregate(out / "parquet")
        result["agg_s"] = time.perf_counter() - t
    else:
        raise SystemExit(f"unknown contender {name}")
    result["groups"] = sizes
    return result


def worker_many_days(store_dir: Path) -> dict:
    from amparo.engines.tdb import queries
    from amparo.engines.tdb.duck import DuckDBEngine
    from amparo.engines.tdb.store import Store

    engine = DuckDBEngine(Store(store_dir))
    times = []
    for _ in range(3):
        t = time.perf_counter()
        engine.run_many(queries.STANDARD)
        times.append(time.perf_counter() - t)
    n = engine.query(f"SELECT count(*) AS n FROM {engine.source()}")["n"][0].as_py()
    out = {"rows": n, "rollup_s": sorted(times)[1], "rollup_runs": times}
    t = time.perf_counter()
    engine.run_many(queries.STANDARD, use_rollups=False)
    out["rows_s"] = time.perf_counter() - t
    return out


# --- orchestration ----------------------------------------------------------------------------


def measure(cmd: list[str], timeout: float) -> tuple[dict | None, float, float, str]:
    """Run ``cmd``; return (its JSON result, wall seconds, peak RSS in MB, error text)."""
    import psutil

    started = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    ps = psutil.Process(proc.pid)
    peak = 0
    while proc.poll() is None:
        try:
            rss = ps.memory_info().rss + sum(
                c.memory_info().rss for c in ps.children(recursive=True)
            )
            peak = max(peak, rss)
        except psutil.Error:
            pass
        if time.perf_counter() - started > timeout:
            for c in ps.children(recursive=True):
                c.kill()
            proc.kill()
            proc.wait()
            return (
                None,
                time.perf_counter() - started,
                peak / 2**20,
                f"did not finish in {timeout:.0f} s",
            )
        time.sleep(0.1)
    out, err = proc.communicate()
    wall = time.perf_counter() - started
    if proc.returncode != 0:
        return None, wall, peak / 2**20, err.strip().splitlines()[-1] if err.strip() else "failed"
    return json.loads(out.strip().splitlines()[-1]), wall, peak / 2**20, ""


def ensure_dump(rows: int) -> Path:
    import generate

    out = DATA / f"dumps-{rows}"
    path = out / f"sor-global-{DAY.isoformat()}-full.zip"
    if not (path.exists() and Path(str(path) + ".sha1").exists()):
        print(f"generating {rows:,} rows into {out} ...", flush=True)
        shutil.rmtree(out, ignore_errors=True)
        generate.generate(rows, DAY, out)
    return path


#: ``--mix real``: what an ingest of the archive meets besides a big current day (issue 18).
OLD_DAY = dt.date(2024, 3, 14)  # 37 columns, CSV parts directly in the outer zip
PLATFORM_DAY = dt.date(2025, 9, 3)


def ensure_real_dumps(rows: int) -> Path:
    """A folder of real-format dumps: the global day of ``rows`` statements (current schema,
    nested, a header-only part at the end), a global day of the older 37-column schema in
    the flat layout of before 2024-04-08 (a fifth of the rows), and a per-platform dump of the
    next day with a header-only part (a twentieth)."""
    import generate

    out = DATA / f"real-{rows}"
    names = [f"sor-global-{DAY}-full.zip", f"sor-global-{OLD_DAY}-full.zip",
             f"sor-tiktok-{PLATFORM_DAY}-full.zip"]  # fmt: skip
    if all((out / n).exists() and (out / f"{n}.sha1").exists() for n in names):
        return out
    print(f"generating {rows:,} + {rows // 5:,} + {rows // 20:,} rows into {out} ...", flush=True)
    shutil.rmtree(out, ignore_errors=True)
    from amparo.engines.tdb import synth

    generate.generate(rows, DAY, out, empty_part=True)
    synth.write_dump(out, OLD_DAY, rows // 5, seed=2024, malformed_rate=1e-4, workers=2,
                     schema_version="37", nested=False)  # fmt: skip
    synth.write_dump(out, PLATFORM_DAY, rows // 20, seed=2026, malformed_rate=1e-4, workers=2,
                     scope="tiktok", platform="TikTok", empty_part=True)  # fmt: skip
    return out


def replicate(store: Path, target: Path, days: int) -> None:
    """A store of ``days`` days: the ingested day's rows hard-linked under other dates."""
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    shutil.rmtree(target, ignore_errors=True)
    src_days = sorted(p for p in (store / "rows").glob("day=*"))
    main_day = max(src_days, key=lambda p: sum(f.stat().st_size for f in p.rglob("*.parquet")))
    for k in range(days):
        day = (DAY + dt.timedelta(days=k)).isoformat()
        for f in main_day.rglob("*.parquet"):
            dst = target / "rows" / f"day={day}" / f.parent.name / f.name
            dst.parent.mkdir(parents=True, exist_ok=True)
            os.link(f, dst)
    for rollup_dir in (store / "rollups").iterdir():
        for f in rollup_dir.glob("*.parquet"):
            t = pq.read_table(f)
            t = t.filter(pc.equal(t["day"], pa.scalar(DAY, pa.date32())))
            for k in range(days):
                shifted = pc.add(t["day"], pa.scalar(dt.timedelta(days=k), pa.duration("s")))
                t2 = t.set_column(0, "day", pc.cast(shifted, pa.date32()))
                dst = target / "rollups" / rollup_dir.name / f"{k:03d}-{f.name}"
                dst.parent.mkdir(parents=True, exist_ok=True)
                pq.write_table(t2, dst)


def machine() -> str:
    def sh(cmd: str) -> str:
        try:
            return subprocess.run(cmd, shell=True, capture_output=True, text=True).stdout.strip()
        except OSError:
            return ""

    return "\n".join([f"nproc: {sh('nproc')}", sh("free -h"), sh("lscpu | head -n 15"),
                      f"Python {platform.python_version()}"])  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--rows", type=int, default=5_000_000)
    p.add_argument("--days", type=int, default=10, help="days in the many-days store")
    p.add_argument("--timeout", type=float, default=900)
    p.add_argument("--contenders", default="amparo,polars,spark,pandas")
    p.add_argument(
        "--mix",
        choices=("one-day", "real"),
        default="one-day",
        help="one-day: one global day; real: with an older-schema day and empty parts",
    )
    p.add_argument("--no-record", action="store_true", help="do not touch bench/RESULTS.md")
    p.add_argument(
        "--report-only", action="store_true", help="rewrite the section from cached figures"
    )
    p.add_argument("--worker", help=argparse.SUPPRESS)
    p.add_argument("--dump", type=Path, help=argparse.SUPPRESS)
    p.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    a = p.parse_args(argv)
    if a.worker == "many-days":
        print(json.dumps(worker_many_days(a.out)))
        return 0
    if a.worker:
        print(json.dumps(worker(a.worker, a.dump, a.out)))
        return 0

    dump = ensure_real_dumps(a.rows) if a.mix == "real" else ensure_dump(a.rows)
    from amparo.engines.tdb import archive

    files = sorted(dump.glob("sor-*.zip")) if dump.is_dir() else [dump]
    csv_mb = sum(archive.uncompressed_size(archive.parse_dump_name(f)) for f in files) / 1e6
    zip_mb = sum(f.stat().st_size for f in files) / 1e6
    results: dict[str, dict] = {}
    for name in [] if a.report_only else a.contenders.split(","):
        print(f"running {name} ...", flush=True)
        cmd = [sys.executable, __file__, "--worker", name, "--dump", str(dump),
               "--out", str(DATA / "out" / name)]  # fmt: skip
        load = os.getloadavg()[0]
        res, wall, peak, err = measure(cmd, a.timeout)
        results[name] = {
            "result": res,
            "wall": wall,
            "peak_mb": peak,
            "error": err,
            "load_before": load,
        }
        print(f"  {name}: {res} peak {peak:,.0f} MB {err}", flush=True)
        if name != "amparo":
            shutil.rmtree(DATA / "out" / name, ignore_errors=True)

    many = None
    if results.get("amparo", {}).get("result") and a.days and not a.report_only:
        target = DATA / "out" / "many-days"
        replicate(DATA / "out" / "amparo" / "store", target, a.days)
        cmd = [sys.executable, __file__, "--worker", "many-days", "--out", str(target)]
        res, wall, peak, err = measure(cmd, a.timeout)
        many = {"result": res, "peak_mb": peak, "error": err}
        print(f"  many days: {res} peak {peak:,.0f} MB {err}", flush=True)
        shutil.rmtree(target, ignore_errors=True)

    results, many = merge_cached(a.rows if a.mix == "one-day" else f"real-{a.rows}", results, many)
    text = report(a, results, many, csv_mb, zip_mb)
    print(text)
    if not a.no_record:
        record(text)
    return 0


def merge_cached(rows: int | str, results: dict, many: dict | None) -> tuple[dict, dict | None]:
    """Keep every contender's latest figures for this size in data/results-<rows>.json, so
    that re-running some contenders (``--contenders amparo``) reports all of them."""
    path = DATA / f"results-{rows}.json"
    cached = json.loads(path.read_text()) if path.exists() else {}
    now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    for name, r in results.items():
        cached[name] = {**r, "measured": now}
    if many is not None:
        cached["many-days"] = {**many, "measured": now}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(cached, indent=2))
    order = ["amparo", "spark", "polars", "pandas"]
    merged = {k: cached[k] for k in order if k in cached}
    return merged, cached.get("many-days")


def report(a, results: dict, many: dict | None, csv_mb: float, zip_mb: float) -> str:
    labels = {
        "amparo": "Amparo (pyarrow ingest, DuckDB)",
        "spark": "PySpark local[*] (toolbox engine)",
        "polars": "Polars (shantay engine)",
        "pandas": "pandas baseline",
    }
    real = getattr(a, "mix", "one-day") == "real"
    data = (
        f"Data: three real-format dumps (`ensure_real_dumps` in bench/tdb/run.py): a global "
        f"day of {a.rows:,} generated statements (current 38 columns, nested zips, a "
        f"header-only part at the end), a global day of {a.rows // 5:,} in the older "
        f"37-column schema (no content_id_ean) and the flat layout of before 2024-04-08, and "
        f"a per-platform dump of {a.rows // 20:,} with a header-only part; "
        f"{zip_mb:,.0f} MB zipped, {csv_mb:,.0f} MB of CSV. Peers ingest the dumps one after "
        "another (each fills the older days' missing column with nulls). Ingest = "
        if real
        else f"Data: one day of {a.rows:,} generated statements (`bench/tdb/generate.py`), "
        f"full version, nested zips: {zip_mb:,.0f} MB zipped, {csv_mb:,.0f} MB of CSV. Ingest = "
    )
    lines = [
        SECTION_REAL if real else SECTION,
        "",
        f"Run {dt.datetime.now(dt.UTC).strftime('%Y-%m-%d %H:%M UTC')} with "
        f"`.venv/bin/python bench/tdb/run.py --rows {a.rows} --days {a.days} "
        f"--timeout {a.timeout:.0f}{' --mix real' if real else ''}`.",
        "",
        "```",
        machine(),
        "```",
        "",
        data + "nested zip → Parquet partitioned by day and platform (Amparo also verifies the "
        ".sha1, quarantines malformed rows and writes its rollups, inside its time). "
        "Aggregations = the 7 standard aggregations (simple, complete and 5 list breakdowns).",
        "",
        "| contender | ingest s | rows/s | CSV MB/s | aggregations s | peak memory MB | measured |",
        "|---|---:|---:|---:|---:|---:|---|",
    ]
    rates = {}
    for name, r in results.items():
        res = r["result"]
        if not res:
            lines.append(
                f"| {labels[name]} | {r['error']} | - | - | - | {r['peak_mb']:,.0f} "
                f"| {r.get('measured', '')} |"
            )
            continue
        rps = res["rows"] / res["ingest_s"]
        rates[name] = rps
        agg = f"{res['agg_s']:.2f}"
        if "agg_rows_s" in res:
            agg += f" (rollups); {res['agg_rows_s']:.2f} (rows)"
        lines.append(
            f"| {labels[name]} | {res['ingest_s']:.1f} | {rps:,.0f} | "
            f"{csv_mb / res['ingest_s']:,.0f} | {agg} | {r['peak_mb']:,.0f} "
            f"| {r.get('measured', '')} |"
        )
    lines.append("")
    amparo = (results.get("amparo") or {}).get("result") or {}
    if real and amparo.get("csv_schemas"):
        shapes = ", ".join(f"{k}: {v}" for k, v in amparo["csv_schemas"].items())
        lines.append(
            f"Amparo read every dump: CSV parts per schema {shapes}; "
            f"{amparo.get('empty_parts', 0)} parts without rows; "
            f"{amparo.get('quarantined', 0):,} rows quarantined."
        )
        lines.append("")
    peers = {k: v for k, v in rates.items() if k != "amparo"}
    verdict = []
    if "amparo" in rates and peers:
        best = max(peers, key=peers.get)
        ratio = rates["amparo"] / peers[best]
        lines.append(
            f"Ingest: Amparo {rates['amparo']:,.0f} rows/s = {ratio:.2f}x the best peer "
            f"({labels[best]}, {peers[best]:,.0f} rows/s); "
            + ", ".join(f"{rates['amparo'] / v:.1f}x {k}" for k, v in peers.items())
            + "."
        )
        verdict.append(
            f"ingest ≥ 2x the best peer: {'met' if ratio >= 2 else 'NOT met'} ({ratio:.2f}x)"
        )
    if "amparo" in rates:
        verdict.append(
            f"ingest ≥ 300,000 rows/s: {'met' if rates['amparo'] >= 300_000 else 'NOT met'}"
            f" ({rates['amparo']:,.0f} rows/s)"
        )
    if many and many["result"]:
        m = many["result"]
        lines.append(
            f"Standard aggregations over {m['rows']:,} ingested rows ({a.days} days; the "
            f"ingested day copied under other dates): {m['rollup_s']:.2f} s from Amparo's "
            f"rollups (median of 3), {m['rows_s']:.1f} s scanning the rows; peak "
            f"{many['peak_mb']:,.0f} MB."
        )
        verdict.append(
            f"standard aggregations over {m['rows'] / 1e6:.0f} M rows < 5 s: "
            f"{'met' if m['rollup_s'] < 5 else 'NOT met'} from rollups ({m['rollup_s']:.2f} s); "
            f"{'met' if m['rows_s'] < 5 else 'not met'} by a scan of the rows "
            f"({m['rows_s']:.1f} s)"
        )
    elif many:
        lines.append(f"Many-days aggregation: {many['error']}")
    loads = ", ".join(
        f"{name} {r['load_before']:.1f}" for name, r in results.items() if "load_before" in r
    )
    lines += [
        "",
        "Goals: " + "; ".join(verdict) + ".",
        "",
        f"1-minute load average before each contender started: {loads} (on "
        f"{os.cpu_count()} cores; an average over the minute before, so it includes the tail "
        "of whatever ran then, this benchmark's previous contender included). Other work "
        "running beside a contender slows it; the figures are comparable within one run.",
        "",
        *NOTES,
        "",
    ]
    return "\n".join(lines)


NOTES = [
    "Notes. A row whose 'measured' time differs from the others comes from an earlier run "
    "(`--contenders` re-runs some; each contender's latest figures are kept in "
    "bench/tdb/data/results-<rows>.json). Polars keeps rows whose JSON arrays are broken "
    "(as nulls), so it writes slightly more rows than Amparo and pandas, which leave them out. The generator "
    "draws every dimension independently, so the 'complete' aggregation has about 600,000 "
    "groups a day (6 million over 10 days) and dominates the many-days time: its answer "
    "itself is 6 million rows; real dumps, whose fields are correlated per platform, have "
    "far fewer. The same independence makes Amparo's 'complete' rollup nearly one group a row, "
    "so counting its rollups per part and summing them per dump takes about 9 % of Amparo's "
    "ingest CPU here. Amparo's ingest includes the SHA-1 check, validation, quarantine and "
    "rollups.",
]


def record(section: str) -> None:
    title = section.splitlines()[0]
    results_file.replace_section(title, section)


if __name__ == "__main__":
    sys.exit(main())
