"""Ingest on a Spark cluster: the dumps of a folder spread over the executors, one task per
dump, each running the very same :func:`.ingest.ingest_dump` into a store on a filesystem that
the driver and every executor mount at the same path.

What depends on other dumps stays on the driver:

1. **The plan** (:func:`plan`). Before any task starts, the driver makes the decisions of
   :func:`.ingest._decide` for every dump in the order the sequential ingest takes them (by
   day, scope, version), against the manifest as it would stand after each one: which
   (scope, day) is already ingested, ``full`` over ``light``, a global dump over the
   per-platform dumps of its day. A dump that a later dump of the same run would replace is
   not run at all (reported ``skipped``, "superseded by …"); should the later one fail, the
   superseded ones run in a next round, as the sequential ingest would have kept them.
2. **Replacements**: the entries a dump replaces are dropped by the driver after the tasks,
   never by a task (a task removing empty folders could race another task creating them).
3. **Duplicates across dumps of the run** (:func:`cross_dump_duplicates`). Each task checks
   its rows against the store as it stood before the run (the files of replaced entries and
   of the run's own tasks left out), so two neighbouring days ingested at once do not see
   each other's rows of the day they share. The driver then goes through every day written by
   more than one dump of the run, dumps in the sequential order, and removes (or, with
   ``keep_duplicates``, only counts) the rows whose ``uuid`` an earlier dump of the run holds
   for that day; each dump that lost rows gets its rollups counted again from its remaining
   rows (:func:`.rollup.count_stored`) and its manifest entry corrected. The rows kept are
   those the sequential ingest keeps; only the split of a dump's duplicate count between
   "within the dump" and "already stored" can differ when a uuid repeats both within a dump
   and across dumps.

A task that dies (an executor lost) and is retried writes the same file names again (the
run's token and the dump's name make them), so the retry replaces what the first attempt
left. Executors need ``amparo`` installed in the Python that ``PYSPARK_PYTHON`` (or
``spark.pyspark.python``) names; in local mode the driver's own interpreter is used.
"""

from __future__ import annotations

import os
import secrets
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

from . import archive, dedup, rollup
from .ingest import IngestReport, Plan, arrow_memory, ingest_dump
from .store import Store


@dataclass
class Task:
    """One dump for one executor: everything it needs, picklable."""

    dump: str  # path of the dump file, the same on every machine
    store: str
    plan: Plan
    order: int  # position in the sequential order
    verify: bool = True
    workers: int | None = None
    keep_duplicates: bool = False
    size: int = 0


@dataclass
class RunPlan:
    tasks: list[Task] = field(default_factory=list)
    skipped: list[IngestReport] = field(default_factory=list)
    #: dump name → names of the dumps of this run it supersedes (run again if it fails)
    supersedes: dict[str, list[str]] = field(default_factory=dict)


def plan(
    dumps: list[archive.DumpFile],
    store: Store,
    *,
    force: bool = False,
    run: str = "",
    verify: bool = True,
    workers: int | None = None,
    keep_duplicates: bool = False,
) -> RunPlan:
    """The decisions of :func:`.ingest._decide` for ``dumps``, taken in order against the
    manifest as the sequential ingest would leave it after each dump."""
    virtual: dict[str, dict[str, Any]] = {k: dict(m) for k, m in store.manifests().items()}
    existing = set(virtual)
    planned: dict[str, tuple[int, archive.DumpFile, list[str]]] = {}  # key → (order, dump, pre)
    out = RunPlan()
    for order, dump in enumerate(dumps):
        current = virtual.get(dump.key)
        replaces: list[str] = []
        skip = None
        if current is not None:
            if not force and (current["version"] == "full" or current["version"] == dump.version):
                skip = f"already ingested from {current['dump']}"
            replaces.append(dump.key)
        if skip is None and dump.scope != "global":
            covering = virtual.get(f"global-{dump.day.isoformat()}")
            if covering is not None:
                skip = f"covered by {covering['dump']}"
        elif skip is None:
            day = dump.day.isoformat()
            replaces += [
                k for k, m in virtual.items() if m.get("day") == day and m.get("scope") != "global"
            ]
        if skip is not None:
            out.skipped.append(IngestReport(dump=dump.name, status="skipped", message=skip))
            continue
        pre: list[str] = []
        for key in replaces:
            if key in planned:  # a dump of this run, superseded before it ran
                _, earlier, earlier_pre = planned.pop(key)
                pre += earlier_pre
                out.supersedes.setdefault(dump.name, []).append(earlier.name)
                out.skipped.append(
                    IngestReport(
                        dump=earlier.name,
                        status="skipped",
                        message=f"superseded by {dump.name} in this run",
                    )
                )
            elif key in existing:
                pre.append(key)
            virtual.pop(key, None)
        virtual[dump.key] = {
            "dump": dump.name,
            "scope": dump.scope,
            "day": dump.day.isoformat(),
            "version": dump.version,
        }
        planned[dump.key] = (order, dump, sorted(set(pre)))
    excluded = tuple(
        sorted(
            rel
            for _, _, pre in planned.values()
            for key in pre
            for rel in (store.read_manifest(key) or {}).get("files", [])
        )
    )
    for order, dump, pre in sorted(planned.values(), key=lambda t: t[0]):
        out.tasks.append(
            Task(
                dump=str(dump.path),
                store=str(store.root),
                plan=Plan(replaces=tuple(pre), excluded_files=excluded, run=run),
                order=order,
                verify=verify,
                workers=workers,
                keep_duplicates=keep_duplicates,
                size=dump.path.stat().st_size,
            )
        )
    return out


def run_task(task: Task) -> tuple[int, IngestReport]:
    """What an executor runs: the sequential ingest of one dump, under the driver's plan."""
    dump = archive.parse_dump_name(task.dump)
    with arrow_memory():
        report = ingest_dump(
            dump,
            Store(Path(task.store)),
            plan=task.plan,
            verify=task.verify,
            workers=task.workers,
            keep_duplicates=task.keep_duplicates,
        )
    return task.order, report


def _drop_replaced(store: Store, entries: dict[str, dict[str, Any]], keep: set[str]) -> None:
    """Remove what replaced manifest entries wrote (read before the run: a dump that replaces
    its own key has written the new entry by now), except paths the new entries use."""
    for key, entry in entries.items():
        store.uncompact(entry)  # its counts leave the month files of `tdb compact`
        for rel in [*entry.get("files", []), entry.get("quarantine")]:
            if rel and rel not in keep:
                (store.root / rel).unlink(missing_ok=True)
        if key not in keep:
            store.manifest_path(key).unlink(missing_ok=True)
    for d in sorted(store.rows_dir.glob("day=*/platform=*"), reverse=True):
        if d.is_dir() and not any(d.iterdir()):
            d.rmdir()
    for d in store.rows_dir.glob("day=*"):
        if d.is_dir() and not any(d.iterdir()):
            d.rmdir()


def cross_dump_duplicates(
    store: Store, reports: list[tuple[int, IngestReport]], keep_duplicates: bool = False
) -> None:
    """Count, and unless ``keep_duplicates`` remove, the rows whose uuid an earlier dump of
    the run (in the sequential order) holds for the same day; fix the rollups, manifests and
    reports of the dumps that lost rows. See the module docstring."""
    ingested = sorted(((o, r) for o, r in reports if r.status == "ingested"), key=lambda t: t[0])
    by_day: dict[str, list[tuple[int, IngestReport, str]]] = {}
    for order, rep in ingested:
        for rel in rep.files:
            if rel.startswith("rows/day="):
                day = rel.split("/")[1].removeprefix("day=")
                by_day.setdefault(day, []).append((order, rep, rel))
    found: dict[str, int] = {}
    touched: set[str] = set()
    for entries in by_day.values():
        if len({rep.dump for _, rep, _ in entries}) < 2:
            continue
        seen = dedup.KeySet()
        for _, rep, rel in sorted(entries, key=lambda t: (t[0], t[2])):
            path = store.root / rel
            table = pq.read_table(path)
            high, low = dedup.uuid_keys(table["uuid"])
            repeated = seen.contains(high, low)
            first = dedup.first_occurrences(high, low) & ~repeated
            seen.add(high[first], low[first])
            n = int(repeated.sum())
            if not n:
                continue
            found[rep.dump] = found.get(rep.dump, 0) + n
            if keep_duplicates:
                continue
            touched.add(rep.dump)
            kept = table.filter(~repeated)
            if kept.num_rows:
                _rewrite(path, kept)
            else:
                path.unlink()
                rep.files.remove(rel)
    for _, rep in ingested:
        n = found.get(rep.dump, 0)
        if not n:
            continue
        rep.duplicates_in_store += n
        if rep.dump in touched:
            rep.rows_written -= n
            _recount_rollups(store, rep)
        _fix_manifest(store, rep)


def _rewrite(path: Path, table: Any) -> None:
    """Write ``table`` over ``path`` with the ingest's Parquet settings, atomically."""
    from .partitions import DICTIONARY_COLUMNS, LIST_ELEMENTS, STATISTICS_COLUMNS

    tmp = path.with_name(path.name + ".tmp")
    pq.write_table(
        table,
        tmp,
        compression="zstd",
        compression_level=1,
        use_dictionary=[*DICTIONARY_COLUMNS, *LIST_ELEMENTS],
        write_statistics=STATISTICS_COLUMNS,
        row_group_size=16_384,
    )
    tmp.replace(path)


def _recount_rollups(store: Store, rep: IngestReport) -> None:
    rows = [store.root / f for f in rep.files if f.startswith("rows/")]
    merged = rollup.count_stored(pq.read_table(p) for p in rows)
    for rel in [f for f in rep.files if f.startswith("rollups/")]:
        name = rel.split("/")[1]
        path = store.root / rel
        if name in merged:
            tmp = path.with_name(path.name + ".tmp")
            pq.write_table(merged[name], tmp, compression="zstd", row_group_size=65_536)
            tmp.replace(path)
        else:  # no row left at all
            path.unlink(missing_ok=True)
            rep.files.remove(rel)
    rep.unknown_values = rollup.unknown_values(merged)


def _fix_manifest(store: Store, rep: IngestReport) -> None:
    dump = archive.parse_dump_name(rep.dump + ".zip")
    entry = store.read_manifest(dump.key)
    if entry is None or entry.get("dump") != rep.dump:
        return
    entry.update(
        rows_written=rep.rows_written,
        duplicates_in_store=rep.duplicates_in_store,
        duplicates=rep.duplicates,
        duplicates_removed=rep.duplicates_removed,
        files=rep.files,
        unknown_values=rep.unknown_values,
        cross_dump_duplicates=True,
    )
    store.write_manifest(dump.key, entry)
    if rep.rows_read != rep.rows_written + rep.quarantined + rep.duplicates_removed:
        raise AssertionError(f"{rep.dump}: rows read ≠ written + quarantined + duplicates")


def _local_python(sc: Any) -> None:
    """In local mode, run the Python workers with the driver's interpreter (the one that has
    amparo), unless ``PYSPARK_PYTHON`` says otherwise."""
    if str(sc.master).startswith("local") and not os.environ.get("PYSPARK_PYTHON"):
        sc.pythonExec = sys.executable


def ingest_spark(
    paths: Iterable[str | os.PathLike[str]],
    store: Store | str | os.PathLike[str] | None,
    spark: Any,
    *,
    force: bool = False,
    verify: bool = True,
    workers: int | None = None,
    keep_duplicates: bool = False,
    on_report: Callable[[IngestReport], None] | None = None,
) -> list[IngestReport]:
    """Ingest dump files (or folders of them) on the Spark session ``spark``; one report per
    dump, in the order of the sequential :func:`.ingest.ingest`. See the module docstring."""
    st = store if isinstance(store, Store) else Store.at(store)
    st.ensure()
    sc = spark.sparkContext
    _local_python(sc)
    dumps = archive.find_dumps(list(paths))
    order = {d.name: i for i, d in enumerate(dumps)}
    results: dict[str, IngestReport] = {}
    todo = dumps
    while todo:
        run = secrets.token_hex(4)
        p = plan(
            todo,
            st,
            force=force,
            run=run,
            verify=verify,
            workers=workers,
            keep_duplicates=keep_duplicates,
        )
        for rep in p.skipped:
            results[rep.dump] = rep
        replaced = {
            key: entry
            for t in p.tasks
            for key in t.plan.replaces
            if (entry := st.read_manifest(key)) is not None
        }
        done: list[tuple[int, IngestReport]] = []
        if p.tasks:
            tasks = sorted(p.tasks, key=lambda t: -t.size)  # the largest first
            done = sc.parallelize(tasks, len(tasks)).map(run_task).collect()
        keep = {
            rel
            for _, r in done
            if r.status == "ingested"
            for rel in [*r.files, f"quarantine/{r.dump}.csv"]
        }
        keep |= {
            archive.parse_dump_name(r.dump + ".zip").key for _, r in done if r.status == "ingested"
        }
        dropping = {
            key: replaced[key]
            for _, r in done
            if r.status == "ingested"
            for key in r.replaced
            if key in replaced
        }
        _drop_replaced(st, dropping, keep)
        cross_dump_duplicates(st, done, keep_duplicates)
        for _, rep in done:
            results[rep.dump] = rep
        # a dump that failed leaves in place the dumps it superseded: run those now
        again = {
            name for _, r in done if r.status == "failed" for name in p.supersedes.get(r.dump, [])
        }
        todo = [d for d in dumps if d.name in again]
    reports = sorted(results.values(), key=lambda r: order[r.dump])
    if on_report:
        for rep in reports:
            on_report(rep)
    return reports
