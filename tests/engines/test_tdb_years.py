"""Rollups over years: closed months compacted into one file per rollup and month give the
same figures, a compacted dump ingested again is taken out of its month file first, and the
rollups still answer once an operator has deleted old rows."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from amparo.engines.tdb import queries, synth
from amparo.engines.tdb.compact import compact
from amparo.engines.tdb.duck import DuckDBEngine
from amparo.engines.tdb.ingest import ingest
from amparo.engines.tdb.queries import Aggregation, Filter
from amparo.engines.tdb.store import Store

AMPARO = Path(sys.executable).parent / "amparo"
DAYS = (dt.date(2025, 5, 30), dt.date(2025, 5, 31), dt.date(2025, 6, 1))

#: the standard aggregations, and questions over months that read the rollups differently
QUESTIONS = (
    *queries.STANDARD,
    Aggregation("month-platform", ("month", "platform")),
    Aggregation("month-country", ("month", "country"), (Filter("platform", "eq", "TikTok"),)),
    Aggregation("may", ("category",), start=dt.date(2025, 5, 1), end=dt.date(2025, 5, 31)),
)


@pytest.fixture(scope="module")
def dumps(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("tdb-years") / "dumps"
    for i, day in enumerate(DAYS):  # each dump spills a few rows into the day before
        synth.write_dump(folder, day, 400, seed=40 + i, rows_per_csv=400, workers=1)
    return folder


def _answers(store: Store) -> dict[str, list[tuple]]:
    engine = DuckDBEngine(store)
    out = {}
    for agg in QUESTIONS:
        r = engine.run(agg)
        assert ":rollup:" in r.engine, agg.name
        t = r.table.drop_columns([c for c in r.table.column_names if c == "quality_flags"])
        out[agg.name] = sorted(tuple(str(v) for v in row.values()) for row in t.to_pylist())
    engine.close()
    return out


def _cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(cwd)}
    return subprocess.run(
        [str(AMPARO), "tdb", *args], capture_output=True, text=True, env=env, cwd=cwd, timeout=120
    )


def test_compacted_months_answer_the_same_and_a_reingested_dump_is_taken_out(dumps, tmp_path):
    store = Store(tmp_path / "store")
    assert all(r.status == "ingested" for r in ingest([dumps], store, workers=2))
    before = _answers(store)
    daily = sorted(p.name for p in store.rollup_dir("simple").glob("*.parquet"))
    assert len(daily) == 3

    out = _cli("compact", "--until", "2025-06-15", "--store", str(store.root), cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    assert "compacted 2 dumps of 2025-05" in out.stdout
    files = sorted(p.name for p in store.rollup_dir("simple").glob("*.parquet"))
    assert files[0] == "month-2025-05.parquet" and len(files) == 2  # June is not closed
    entry = store.read_manifest("global-2025-05-31")
    assert (
        entry is not None and entry["compacted"]["simple"] == "rollups/simple/month-2025-05.parquet"
    )
    assert not [f for f in entry["files"] if f.startswith("rollups/")]
    assert _answers(store) == before

    # a dump of a compacted month ingested again: its counts leave the month file first
    [again] = ingest([dumps / "sor-global-2025-05-31-full.zip"], store, force=True, workers=2)
    assert again.status == "ingested"
    assert _answers(store) == before
    assert len(list(store.rollup_dir("simple").glob("*.parquet"))) == 3
    assert compact(store, until=dt.date(2025, 6, 15)).dumps == 1
    assert len(list(store.rollup_dir("simple").glob("*.parquet"))) == 2
    assert _answers(store) == before
    # compacting again changes nothing
    assert compact(store, until=dt.date(2025, 6, 15)).months == []
    assert _answers(store) == before


def test_rollups_answer_after_old_rows_are_deleted(dumps, tmp_path):
    store = Store(tmp_path / "store")
    ingest([dumps], store, workers=2)
    before = _answers(store)
    # what docs/tdb.md tells an operator to do to keep only the rollups of old days
    for day_dir in store.rows_dir.glob("day=2025-05-*"):
        shutil.rmtree(day_dir)
    assert _answers(store) == before
    engine = DuckDBEngine(store)
    from_rows = engine.run(Aggregation("days", ("day",)), use_rollups=False)
    assert [str(d) for d in from_rows.table["day"].to_pylist()] == ["2025-06-01"]
    engine.close()
    shutil.rmtree(store.rows_dir)  # every row gone: the rollups still answer
    assert _answers(store) == before
