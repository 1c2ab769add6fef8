"""Disk needed per statement: the rows (Parquet as ingest writes them) and the rollups of one
real-format synthetic day, at a few sizes of day.

    .venv/bin/python bench/tdb/disk.py [--rows 100000,400000]

Prints a Markdown table: bytes of rows per statement, bytes of rollups per day and per
statement, and groups per rollup. Rows grow with the statements; rollups with the distinct
combinations of their dimensions, which the generator draws independently (so its 'complete'
rollup is close to one group per statement: an upper bound; real dumps are correlated).
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))

import pyarrow.parquet as pq  # noqa: E402

from amparo.engines.tdb import synth  # noqa: E402
from amparo.engines.tdb.ingest import ingest  # noqa: E402
from amparo.engines.tdb.store import Store  # noqa: E402

DAY = dt.date(2025, 9, 2)


def measure(rows: int) -> dict:
    root = Path(tempfile.mkdtemp(prefix="tdb-disk-"))
    try:
        rep = synth.write_dump(root / "dumps", DAY, rows, seed=11, workers=2)
        store = Store(root / "store")
        [r] = ingest([root / "dumps"], store)
        assert r.status == "ingested", r.message
        row_bytes = sum(p.stat().st_size for p in store.rows_dir.rglob("*.parquet"))
        groups, rollup_bytes = {}, 0
        for d in sorted(store.rollups_dir.iterdir()):
            files = list(d.glob("*.parquet"))
            rollup_bytes += sum(p.stat().st_size for p in files)
            groups[d.name] = sum(pq.read_metadata(p).num_rows for p in files)
        return {
            "rows": r.rows_written,
            "zip_per_row": rep.zip_bytes / rows,
            "csv_per_row": rep.csv_bytes / rows,
            "row_bytes": row_bytes,
            "rollup_bytes": rollup_bytes,
            "groups": groups,
        }
    finally:
        shutil.rmtree(root, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--rows", default="100000,400000")
    a = p.parse_args(argv)
    print("| statements a day | CSV B/row | zip B/row | rows: Parquet B/row | rollups: "
          "B a day | rollups: B/row | groups (complete, country_detail, simple) |")  # fmt: skip
    print("|---:|---:|---:|---:|---:|---:|---|")
    for n in (int(x) for x in a.rows.split(",")):
        m = measure(n)
        g = m["groups"]
        print(
            f"| {m['rows']:,} | {m['csv_per_row']:,.0f} | {m['zip_per_row']:,.0f} "
            f"| {m['row_bytes'] / m['rows']:,.1f} | {m['rollup_bytes']:,} "
            f"| {m['rollup_bytes'] / m['rows']:,.1f} "
            f"| {g['complete']:,}, {g['country_detail']:,}, {g['simple']:,} |",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
