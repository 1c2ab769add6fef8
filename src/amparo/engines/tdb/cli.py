"""``tdb``: ingest dumps, aggregate, ask the community lens, look statements up.

Run as ``amparo tdb ...`` (the Django management command forwards here) or standalone as
``python -m amparo.engines.tdb ...``. The store is ``--store DIR`` or ``$AMPARO_TDB_DIR``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pyarrow.csv as pacsv
import pyarrow.parquet as pq
from rich.console import Console
from rich.progress import (
    BarColumn,
    DownloadColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TransferSpeedColumn,
)
from rich.table import Table

from . import lens, queries
from .store import ENV_VAR, Store


def _date(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def parse_filter(text: str) -> queries.Filter:
    """``dim=a`` / ``dim=a,b`` (in), ``dim!=a``, ``dim~text``, ``dim=:null``, ``dim!=:null``."""
    for sep, op in (("!=", "not_in"), ("~", "contains_text"), ("=", "in")):
        if sep in text:
            dim, _, raw = text.partition(sep)
            dim = dim.strip()
            if raw == ":null":
                return queries.Filter(dim, "is_null" if op == "in" else "not_null")
            if op == "contains_text":
                return queries.Filter(dim, op, raw)
            values = [v.strip() for v in raw.split(",") if v.strip()]
            return queries.Filter(dim, op, values[0] if len(values) == 1 else tuple(values))
    raise argparse.ArgumentTypeError(f"bad filter {text!r} (use dim=value, dim!=value, dim~text)")


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="tdb", description=__doc__.splitlines()[0])
    p.add_argument("--store", help=f"store directory (default: ${ENV_VAR})")
    # --store is accepted after the command too (``tdb ingest x.zip --store DIR``).
    store_opt = argparse.ArgumentParser(add_help=False)
    store_opt.add_argument("--store", default=argparse.SUPPRESS, help=argparse.SUPPRESS)
    sub = p.add_subparsers(dest="command", required=True)

    ing = sub.add_parser("ingest", parents=[store_opt], help="ingest dump files or folders of them")
    ing.add_argument("paths", nargs="+")
    ing.add_argument("--force", action="store_true", help="ingest again days already ingested")
    ing.add_argument("--no-verify", action="store_true", help="skip the .sha1 check")
    ing.add_argument("--workers", type=int, help="parallel parts (default: cores + 1)")
    ing.add_argument(
        "--keep-duplicates",
        action="store_true",
        help="write rows whose uuid was seen already (counted either way)",
    )
    ing.add_argument(
        "--engine",
        choices=("local", "spark"),
        default="local",
        help="local: this machine; spark: one Spark task per dump (the store on a shared disk)",
    )
    ing.add_argument("--master", help="Spark master URL (default: spark-submit's, or local[*])")

    def common(sp: argparse.ArgumentParser) -> None:
        sp.add_argument("--from", dest="start", type=_date, help="first day (YYYY-MM-DD)")
        sp.add_argument("--to", dest="end", type=_date, help="last day (YYYY-MM-DD)")
        sp.add_argument("--filter", action="append", type=parse_filter, default=[])
        sp.add_argument("--out", type=Path, help="write tables (and charts) into this folder")
        sp.add_argument("--format", choices=("parquet", "csv"), default="csv")
        sp.add_argument("--engine", choices=("duckdb", "spark"), default="duckdb")
        sp.add_argument("--master", help="Spark master URL, with --engine spark")
        sp.add_argument("--json", action="store_true", help="print results as JSON")

    agg = sub.add_parser("aggregate", parents=[store_opt], help="standard or custom aggregations")
    agg.add_argument("names", nargs="*", help="standard aggregations (default: all)")
    agg.add_argument("--by", help="custom dimensions, comma-separated, e.g. platform,category")
    agg.add_argument("--chart", action="store_true", help="also write an SVG chart per table")
    agg.add_argument("--no-rollups", action="store_true", help="always read the rows")
    common(agg)

    ln = sub.add_parser("lens", parents=[store_opt], help="the community lens questions")
    ln.add_argument("questions", nargs="*", help="question ids (default: all)")
    ln.add_argument("--list", action="store_true", help="list the questions")
    common(ln)

    lk = sub.add_parser(
        "lookup", parents=[store_opt], help="statements for a platform's content id (puid)"
    )
    lk.add_argument("--platform", required=True)
    lk.add_argument("content_ids", nargs="+")
    lk.add_argument("--json", action="store_true")

    pop = sub.add_parser("population", parents=[store_opt], help="population figures beside a case")
    pop.add_argument("--platform", required=True)
    pop.add_argument("--category")
    pop.add_argument("--country")
    pop.add_argument("--from", dest="start", type=_date)
    pop.add_argument("--to", dest="end", type=_date)

    sub.add_parser("status", parents=[store_opt], help="what the store holds")

    cp = sub.add_parser(
        "compact", parents=[store_opt], help="one rollup file per month for closed months"
    )
    cp.add_argument(
        "--until",
        type=_date,
        help="compact the months before this day's month (default: today, UTC)",
    )
    return p


def _engine(name: str, store: Store, master: str | None = None) -> Any:
    if name == "spark":
        from .._extras import require_pyspark
        from .spark import SparkEngine

        require_pyspark()

        return SparkEngine(store, master=master)
    from .duck import DuckDBEngine

    return DuckDBEngine(store)


def _show(console: Console, title: str, table: Any, limit: int = 15) -> None:
    out = Table(title=f"{title} ({table.num_rows} rows)")
    for c in table.column_names:
        out.add_column(c)
    for row in table.slice(0, limit).to_pylist():
        out.add_row(*["" if v is None else str(v) for v in row.values()])
    console.print(out)


def _write(table: Any, out: Path, name: str, fmt: str, svg: str | None) -> None:
    out.mkdir(parents=True, exist_ok=True)
    if fmt == "parquet":
        pq.write_table(table, out / f"{name}.parquet")
    else:
        flat = table
        for i, f in enumerate(table.schema):
            if str(f.type).startswith("list"):
                flat = flat.set_column(i, f.name, flat[f.name].cast("string"))
        pacsv.write_csv(flat, out / f"{name}.csv")
    if svg:
        (out / f"{name}.svg").write_text(svg, encoding="utf-8")


def _flags_text(flags: list[Any]) -> str:
    return "; ".join(f"{e.id}: {e.detail}" for e in flags)


class UsageError(Exception):
    """A mistake in what was asked (a missing file, an unknown name): one line, exit 2."""


def cmd_ingest(args: argparse.Namespace, store: Store, console: Console) -> int:
    from .archive import ArchiveError, find_dumps
    from .ingest import ingest

    try:
        dumps = find_dumps(args.paths)
    except ArchiveError as exc:
        raise UsageError(str(exc)) from exc
    if store.root.exists() and not store.root.is_dir():
        raise UsageError(f"{store.root}: not a folder, cannot hold a store")
    errors = Console(stderr=True, highlight=False)
    failed = 0
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        DownloadColumn(),
        TransferSpeedColumn(),
        TextColumn("{task.fields[rows]:>12,} rows"),
        TimeElapsedColumn(),
        console=console,
        transient=False,
    ) as progress:
        tasks: dict[str, Any] = {}

        def on_progress(p) -> None:
            if p.dump not in tasks:
                tasks[p.dump] = progress.add_task(p.dump, total=p.total_compressed_bytes, rows=0)
            progress.update(tasks[p.dump], completed=p.compressed_bytes, rows=p.rows)

        def on_report(r) -> None:
            nonlocal failed
            if r.dump in tasks:
                progress.update(tasks[r.dump], completed=r.zip_bytes)
            if r.status == "failed":
                failed += 1
                errors.print(f"{r.dump}: failed: {r.message}", markup=False, soft_wrap=True)
            elif r.status == "skipped":
                progress.console.print(f"[yellow]{r.dump}: skipped ({r.message})")
            else:
                progress.console.print(
                    f"[green]{r.dump}[/]: {r.rows_written:,} rows, {r.quarantined:,} quarantined"
                    f" {r.reasons or ''} in {r.seconds:.1f} s ({r.rows_per_second:,.0f} rows/s)"
                )
                if r.duplicates:
                    done = "kept" if r.duplicates_kept else "removed"
                    progress.console.print(
                        f"  [yellow]{r.duplicates:,} duplicate uuids {done}[/]: "
                        f"{r.duplicates_in_dump:,} repeated within the dump, "
                        f"{r.duplicates_in_store:,} already stored for their day"
                    )
                shapes = ", ".join(f"{k}: {v}" for k, v in sorted(r.csv_schemas.items()))
                progress.console.print(
                    f"  {r.parts} CSV parts ({shapes}), {r.empty_parts} without rows"
                )
                if r.missing_columns:
                    progress.console.print(
                        f"  columns not in this dump (null): {', '.join(r.missing_columns)}"
                    )
                if r.extra_columns:
                    progress.console.print(f"  columns ignored: {', '.join(r.extra_columns)}")
                for col, values in r.unknown_values.items():
                    progress.console.print(f"  unknown values in {col}: {values}")

        if args.engine == "spark":
            _ingest_spark(args, store, [d.path for d in dumps], on_report)
        else:
            ingest(
                [d.path for d in dumps],
                store,
                force=args.force,
                verify=not args.no_verify,
                workers=args.workers,
                keep_duplicates=args.keep_duplicates,
                on_progress=on_progress,
                on_report=on_report,
            )
    return 1 if failed else 0


def _ingest_spark(args: argparse.Namespace, store: Store, paths: list[Any], on_report) -> None:
    from .._extras import require_pyspark

    require_pyspark()
    from pyspark.sql import SparkSession

    from .distributed import ingest_spark
    from .spark import session

    existing = SparkSession.getActiveSession()  # one this process runs already stays up
    spark = session(args.master)
    try:
        ingest_spark(
            paths,
            store,
            spark,
            force=args.force,
            verify=not args.no_verify,
            workers=args.workers,
            keep_duplicates=args.keep_duplicates,
            on_report=on_report,
        )
    finally:
        if existing is None:
            spark.stop()


def _emit(args: argparse.Namespace, console: Console, name: str, table, svg, flags) -> None:
    if args.out:
        _write(table, args.out, name, args.format, svg)
    if args.json:
        print(
            json.dumps(
                {"name": name, "rows": table.to_pylist(), "quality_flags": [e.id for e in flags]},
                default=str,
            )
        )
    else:
        _show(console, name, table)
        if flags:
            console.print(f"[yellow]data-quality events: {_flags_text(flags)}")


def cmd_aggregate(args: argparse.Namespace, store: Store, console: Console) -> int:
    from . import charts

    names = [a.name for a in queries.STANDARD]
    unknown = [n for n in args.names if n not in names]
    if unknown:
        raise UsageError(f"unknown aggregation {', '.join(unknown)} (known: {', '.join(names)})")
    _check_dimensions([f.dimension for f in args.filter if f.op != "contains_text"])
    if args.by:
        dims = tuple(d.strip() for d in args.by.split(",") if d.strip())
        _check_dimensions(dims)
        aggs = [queries.Aggregation("custom", dims)]
    else:
        aggs = [queries.by_name(n) for n in args.names] if args.names else list(queries.STANDARD)
    engine = _engine(args.engine, store, args.master)
    try:
        for a in aggs:
            a = a.with_filters(*args.filter, start=args.start, end=args.end)
            r = engine.run(a, use_rollups=not args.no_rollups)
            svg = charts.chart_for(r.table, title=a.description or a.name) if args.chart else None
            if not args.json:
                console.print(f"[dim]{a.name}: {r.seconds:.2f} s ({r.engine})")
            _emit(args, console, a.name, r.table, svg, r.flags)
    finally:
        engine.close()
    return 0


def _check_dimensions(dims: Sequence[str]) -> None:
    unknown = [d for d in dims if d not in queries.DIMENSIONS]
    if unknown:
        raise UsageError(
            f"unknown dimension {', '.join(unknown)} (known: {', '.join(queries.DIMENSIONS)})"
        )


def cmd_lens(args: argparse.Namespace, store: Store, console: Console) -> int:
    if args.list:
        for q in lens.QUESTIONS:
            console.print(f"[bold]{q.id}[/]: {q.question}")
        return 0
    ids = [q.id for q in lens.QUESTIONS]
    unknown = [q for q in args.questions if q not in ids]
    if unknown:
        raise UsageError(f"unknown question {', '.join(unknown)} (known: {', '.join(ids)})")
    _check_dimensions([f.dimension for f in args.filter if f.op != "contains_text"])
    engine = _engine(args.engine, store, args.master)
    try:
        for qid in args.questions or [q.id for q in lens.QUESTIONS]:
            a = lens.answer(engine, qid, start=args.start, end=args.end, filters=tuple(args.filter))
            if not args.json:
                console.print(f"[bold]{a.question.question}")
            _emit(args, console, qid, a.table, a.svg, a.flags)
    finally:
        engine.close()
    return 0


def cmd_lookup(args: argparse.Namespace, store: Store, console: Console) -> int:
    from .cases import UnknownPlatform, find_statements

    try:
        found = {cid: find_statements(store, args.platform, cid) for cid in args.content_ids}
    except UnknownPlatform as exc:
        raise UsageError(str(exc)) from exc
    if args.json:
        print(json.dumps(found, default=str))
        return 0 if any(found.values()) else 1
    for cid, rows in found.items():
        if not rows:
            console.print(f"[yellow]{args.platform} {cid}: no statement found")
        for r in rows:
            console.print(
                f"[bold]{args.platform} {cid}[/]: {r['uuid']} {r['created_at']} "
                f"{r['decision_ground']} {r['category']} {r['decision_visibility'] or ''} "
                f"{r['decision_account'] or ''} automated={r['automated_decision']}"
            )
    return 0 if any(found.values()) else 1


def cmd_population(args: argparse.Namespace, store: Store, console: Console) -> int:
    from .cases import population_figures

    figures = population_figures(
        store, args.platform, args.category, args.country, start=args.start, end=args.end
    )
    print(json.dumps(figures, default=str, indent=2))
    return 0


def cmd_status(args: argparse.Namespace, store: Store, console: Console) -> int:
    out = Table(title=f"Transparency Database store {store.root}")
    for c in ("key", "dump", "rows", "quarantined", "duplicates", "ingested at"):
        out.add_column(c)
    for key, m in store.manifests().items():
        dups = m.get("duplicates")
        out.add_row(
            key,
            m["dump"],
            f"{m['rows_written']:,}",
            f"{m['quarantined']:,}",
            "?" if dups is None else f"{dups:,}" + (" kept" if m.get("duplicates_kept") else ""),
            m["ingested_at"],
        )
    console.print(out)
    return 0


def cmd_compact(args: argparse.Namespace, store: Store, console: Console) -> int:
    from .compact import compact

    done = compact(store, until=args.until)
    if not done.months:
        console.print("nothing to compact: no closed month with daily rollup files")
        return 0
    console.print(
        f"compacted {done.dumps:,} dumps of {', '.join(done.months)}: "
        f"{done.files_before:,} rollup files → {done.files_after:,}"
    )
    return 0


COMMANDS = {
    "ingest": cmd_ingest,
    "aggregate": cmd_aggregate,
    "lens": cmd_lens,
    "lookup": cmd_lookup,
    "population": cmd_population,
    "status": cmd_status,
    "compact": cmd_compact,
}


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point: ``main(["ingest", "dumps/", "--store", "/srv/tdb"])`` returns an exit code."""
    args = _parser().parse_args(list(argv) if argv is not None else None)
    console = Console(stderr=False)
    errors = Console(stderr=True)

    def fail(message: str, code: int) -> int:
        errors.print(
            f"tdb {args.command}: {message}", markup=False, highlight=False, soft_wrap=True
        )
        return code

    try:
        store = Store.at(args.store)
    except ValueError as exc:
        return fail(str(exc), 2)
    reads_store = args.command != "ingest" and not (args.command == "lens" and args.list)
    if reads_store and not store.root.is_dir():
        return fail(f"no store at {store.root} (amparo tdb ingest DUMP --store DIR makes one)", 2)
    try:
        return COMMANDS[args.command](args, store, console)
    except UsageError as exc:
        return fail(str(exc), 2)
    except KeyboardInterrupt:
        return fail("interrupted", 130)
    except Exception as exc:  # one line, never a traceback
        return fail(f"{type(exc).__name__}: {exc}", 1)


if __name__ == "__main__":
    sys.exit(main())
