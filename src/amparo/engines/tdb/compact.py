"""Compaction of closed months' rollups: one file per rollup and month instead of one per
dump, so that questions over years read a few dozen files, not thousands.

``tdb compact`` merges, for every month before the current one (UTC), the rollup files of
the dumps of that month's days into ``<store>/rollups/<name>/month-YYYY-MM.parquet``. The
counts are not summed across dumps: each row keeps the dump it came from in a ``dump`` column
(the stem of its former file), so the figures stay exactly those of the daily files, and a
dump can be taken out again. The dump's manifest entry then names its month files under
``compacted`` instead of its rollup files under ``files``. Dropping an entry — a ``full`` dump
replacing a ``light`` one, ``--force``, a global dump replacing per-platform ones — first
takes that dump's rows out of the month files (:meth:`.store.Store.uncompact`), and the new
dump writes daily rollup files again, which the next ``compact`` folds in. Rows are not
touched. Run it when no ingest is running (a cron job after the nightly ingest, say).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from .store import Store

PREFIX = "month-"


def month_file(store: Store, name: str, month: str) -> Path:
    return store.rollup_dir(name) / f"{PREFIX}{month}.parquet"


def has_compacted(directory: Path) -> bool:
    """Whether a rollup's folder holds month files (readers must then align columns by
    name: month files have the ``dump`` column, daily ones do not)."""
    return any(directory.glob(f"{PREFIX}*.parquet"))


@dataclass
class CompactReport:
    months: list[str] = field(default_factory=list)
    dumps: int = 0
    files_before: int = 0
    files_after: int = 0


def _closed(month: str, until: dt.date) -> bool:
    return month < until.strftime("%Y-%m")


def compact(store: Store, until: dt.date | None = None) -> CompactReport:
    """Fold the daily rollup files of every month before ``until``'s month (default: today,
    UTC) into one file per rollup and month; see the module docstring."""
    until = until or dt.datetime.now(dt.UTC).date()
    report = CompactReport()
    report.files_before = sum(1 for _ in store.rollups_dir.rglob("*.parquet"))
    by_month: dict[str, list[tuple[str, dict[str, Any]]]] = {}
    for key, entry in store.manifests().items():
        month = str(entry.get("day", ""))[:7]
        daily = [f for f in entry.get("files", []) if f.startswith("rollups/")]
        if month and daily and _closed(month, until):
            by_month.setdefault(month, []).append((key, entry))
    for month in sorted(by_month):
        entries = by_month[month]
        names = sorted({f.split("/")[1] for _, e in entries for f in e["files"]
                        if f.startswith("rollups/")})  # fmt: skip
        written: dict[str, str] = {}
        for name in names:
            target = month_file(store, name, month)
            stems = [Path(f).name.removesuffix(".parquet") for _, e in entries for f in e["files"]
                     if f.startswith(f"rollups/{name}/")]  # fmt: skip
            tables = []
            if target.exists():  # what an interrupted run folded in already is replaced
                old = pq.read_table(target)
                tables.append(old.filter(pc.invert(pc.is_in(old["dump"], pa.array(stems)))))
            for _, entry in entries:
                for rel in entry["files"]:
                    if rel.startswith(f"rollups/{name}/"):
                        t = pq.read_table(store.root / rel)
                        stem = Path(rel).name.removesuffix(".parquet")
                        tables.append(t.append_column("dump", pa.array([stem] * t.num_rows)))
            merged = pa.concat_tables(tables, promote_options="default")
            tmp = target.with_name(target.name + ".tmp")
            pq.write_table(merged, tmp, compression="zstd", row_group_size=65_536)
            tmp.replace(target)
            written[name] = str(target.relative_to(store.root))
        # the month files are in place; now the manifest names them, then the daily files
        # go (a crash in between leaves daily files that the sweep below removes next time)
        for key, entry in entries:
            daily = [f for f in entry["files"] if f.startswith("rollups/")]
            stem = Path(daily[0]).name.removesuffix(".parquet")
            entry["compacted"] = {
                **(entry.get("compacted") or {}),
                **{f.split("/")[1]: written[f.split("/")[1]] for f in daily},
            }
            entry["rollup_stem"] = stem
            entry["files"] = [f for f in entry["files"] if not f.startswith("rollups/")]
            store.write_manifest(key, entry)
            for rel in daily:
                (store.root / rel).unlink(missing_ok=True)
            report.dumps += 1
        report.months.append(month)
    for entry in store.manifests().values():  # the sweep: daily files already folded in
        for name in entry.get("compacted") or {}:
            (store.rollup_dir(name) / f"{entry['rollup_stem']}.parquet").unlink(missing_ok=True)
    report.files_after = sum(1 for _ in store.rollups_dir.rglob("*.parquet"))
    return report
