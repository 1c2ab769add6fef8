"""Rollups over years: how long standard questions take from the rollup files of 3 years of
daily dumps, before and after ``tdb compact``.

    .venv/bin/python bench/tdb/years.py [--rows 20000] [--days 1096]

The rollup files are not ingested one by one (3 years of dumps would take hours here): one
real-format day of ``--rows`` statements (``amparo.engines.tdb.synth``) is ingested, and its
rollup files are written again with pyarrow under every day of the period, one file per
rollup and day as ingest writes them (the counts of that one day, shifted). A store holds rows
of one day only, so the figures are those of the rollups. Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))

import pyarrow as pa  # noqa: E402
import pyarrow.compute as pc  # noqa: E402
import pyarrow.parquet as pq  # noqa: E402

from amparo.engines.tdb import compact, queries, synth  # noqa: E402
from amparo.engines.tdb.duck import DuckDBEngine  # noqa: E402
from amparo.engines.tdb.ingest import ingest  # noqa: E402
from amparo.engines.tdb.store import Store  # noqa: E402

START = dt.date(2023, 9, 25)

#: The questions timed: one standard aggregation over one month, and questions over years.
QUESTIONS = (
    ("simple, one month", queries.by_name("simple"), ("2025-06-01", "2025-06-30")),
    ("complete, one month", queries.by_name("complete"), ("2025-06-01", "2025-06-30")),
    ("per month and platform, 3 years", queries.Aggregation("m", ("month", "platform")), None),
    (
        "per month, category and automated decision, 3 years",
        queries.Aggregation("mc", ("month", "category", "automated_decision")),
        None,
    ),
    ("per country, 3 years", queries.Aggregation("c", ("country",)), None),
    (
        "per month and keyword, one platform, 3 years",
        queries.Aggregation(
            "k", ("month", "keyword"), (queries.Filter("platform", "eq", "TikTok"),)
        ),
        None,
    ),
)


def build(root: Path, rows: int, days: int) -> Store:
    """A store whose rollups hold ``days`` daily files each (see the module docstring)."""
    day = START + dt.timedelta(days=days - 1)
    synth.write_dump(root / "dumps", day, rows, seed=7, rows_per_csv=rows, workers=1)
    store = Store(root / "store")
    [rep] = ingest([root / "dumps"], store)
    assert rep.status == "ingested", rep.message
    store.manifest_path(f"global-{day.isoformat()}").unlink()
    files: dict[dt.date, list[str]] = {}
    for rollup_dir in sorted(store.rollups_dir.iterdir()):
        [src] = list(rollup_dir.glob("*.parquet"))
        t = pq.read_table(src)
        t = t.filter(pc.equal(t["day"], pa.scalar(day, pa.date32())))
        src.unlink()
        for k in range(days):
            shifted = START + dt.timedelta(days=k)
            t2 = t.set_column(0, "day", pa.array([shifted] * t.num_rows, pa.date32()))
            name = f"sor-global-{shifted.isoformat()}-full-bench.parquet"
            pq.write_table(t2, rollup_dir / name, compression="zstd", row_group_size=65_536)
            files.setdefault(shifted, []).append(f"rollups/{rollup_dir.name}/{name}")
    for shifted, rels in files.items():  # a manifest entry per day, as ingest writes one
        store.write_manifest(
            f"global-{shifted.isoformat()}",
            {"dump": f"sor-global-{shifted.isoformat()}-full", "scope": "global",
             "day": shifted.isoformat(), "version": "full", "files": rels},
        )  # fmt: skip
    return store


def timed(store: Store) -> list[tuple[str, float, int, str]]:
    engine = DuckDBEngine(store)
    out = []
    for label, agg, span in QUESTIONS:
        if span:
            agg = agg.with_filters(start=dt.date.fromisoformat(span[0]),
                                   end=dt.date.fromisoformat(span[1]))  # fmt: skip
        runs = []
        for _ in range(3):
            r = engine.run(agg)
            runs.append(r.seconds)
        out.append((label, sorted(runs)[1], r.table.num_rows, r.engine))
    engine.close()
    return out


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--rows", type=int, default=20_000)
    p.add_argument("--days", type=int, default=1096)
    a = p.parse_args(argv)
    root = Path(tempfile.mkdtemp(prefix="tdb-years-"))
    try:
        t = time.perf_counter()
        store = build(root, a.rows, a.days)
        files = sum(1 for _ in store.rollups_dir.rglob("*.parquet"))
        groups = {
            d.name: pq.read_metadata(next(d.glob("*.parquet"))).num_rows
            for d in sorted(store.rollups_dir.iterdir())
        }
        print(f"built {files:,} rollup files in {time.perf_counter() - t:.0f} s; rows per "
              f"daily file: {groups}")  # fmt: skip
        before = timed(store)
        t = time.perf_counter()
        done = compact.compact(store, until=START + dt.timedelta(days=a.days))
        print(f"compacted {done.files_before:,} files into {done.files_after:,} in "
              f"{time.perf_counter() - t:.1f} s")  # fmt: skip
        after = timed(store)
        print("\n| question | daily files s | compacted s | result rows | source |")
        print("|---|---:|---:|---:|---|")
        for (label, s1, n, src), (_, s2, _, _) in zip(before, after, strict=True):
            print(f"| {label} | {s1:.2f} | {s2:.2f} | {n:,} | {src} |")
    finally:
        shutil.rmtree(root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
