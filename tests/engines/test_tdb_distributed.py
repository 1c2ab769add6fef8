"""Ingest on Spark (one task per dump, the driver keeping what depends on other dumps) gives
the store the sequential ingest gives: the same rows, rollups and aggregation results."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as ds
import pyarrow.parquet as pq
import pytest

from amparo.engines.tdb import cli, queries, synth
from amparo.engines.tdb.duck import DuckDBEngine
from amparo.engines.tdb.ingest import ingest
from amparo.engines.tdb.store import Store

pytestmark = pytest.mark.spark

DUP = "00000000-0000-4000-8000-0000000000d1"
D1, D2, D3 = dt.date(2025, 6, 30), dt.date(2025, 7, 1), dt.date(2025, 7, 2)


def _plant(created_at: str):
    """Give the first row of a dump the uuid ``DUP`` and the creation time ``created_at``."""
    done = []

    def transform(table: pa.Table) -> pa.Table:
        if done:
            return table
        done.append(True)
        for name, value in (("uuid", DUP), ("created_at", created_at)):
            col = table[name].combine_chunks()
            fixed = pa.concat_arrays([pa.array([value]), col.slice(1)])
            table = table.set_column(table.column_names.index(name), name, fixed)
        return table

    return transform


@pytest.fixture(scope="module")
def dumps(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("tdb-distributed") / "dumps"
    small = {"rows_per_csv": 300, "workers": 1, "malformed_rate": 0.004}
    # an older-schema day (37 columns), published before content_id_ean
    synth.write_dump(folder, dt.date(2024, 6, 8), 500, seed=1, schema_version="37", **small)
    # two neighbouring days: the uuid DUP on 2025-06-30 in both (the second as a spilled row)
    synth.write_dump(folder, D1, 700, seed=2, empty_part=True,
                     transform=_plant("2025-06-30 10:00:00"), **small)  # fmt: skip
    synth.write_dump(folder, D2, 700, seed=3, transform=_plant("2025-06-30 23:00:00"), **small)
    # per-platform dumps: one sorted before the global dump of its day (superseded by it),
    # one after (covered by it), and one of a day without a global dump, with an empty part
    synth.write_dump(folder, D2, 200, seed=4, scope="amazon", platform="Amazon", **small)
    synth.write_dump(folder, D2, 200, seed=5, scope="tiktok", platform="TikTok", **small)
    synth.write_dump(folder, D3, 300, seed=6, scope="tiktok", platform="TikTok",
                     empty_part=True, **small)  # fmt: skip
    return folder


@pytest.fixture(scope="module")
def stores(dumps, spark, tmp_path_factory) -> tuple[Store, Store, list, list]:
    from amparo.engines.tdb.distributed import ingest_spark

    root = tmp_path_factory.mktemp("tdb-distributed-stores")
    seq, par = Store(root / "sequential"), Store(root / "spark")
    seq_reports = ingest([dumps], seq, workers=2)
    par_reports = ingest_spark([dumps], par, spark, workers=2)
    return seq, par, seq_reports, par_reports


def _uuids(store: Store) -> list[str]:
    table = ds.dataset(store.rows_dir, format="parquet").to_table(columns=["uuid"])
    return sorted(table["uuid"].to_pylist())


def _rollup(store: Store, name: str) -> list[tuple]:
    """A rollup's counts summed per key over its files (files split differently by dump)."""
    table = pa.concat_tables(pq.read_table(f) for f in store.rollup_dir(name).glob("*.parquet"))
    dims = table.column_names[:-1]
    for d in dims:
        if pa.types.is_list(table[d].type):
            table = table.set_column(dims.index(d), d, pc.binary_join(table[d], ","))
    summed = table.group_by(dims).aggregate([("statements", "sum")])
    return sorted(tuple(str(v) for v in r.values()) for r in summed.to_pylist())


def _table(result) -> list[tuple]:
    t = result.table
    t = t.drop_columns([c for c in t.column_names if c == "quality_flags"])
    return sorted(tuple(str(v) for v in r.values()) for r in t.to_pylist())


def test_spark_ingest_gives_the_rows_rollups_and_aggregations_of_the_sequential_one(stores):
    seq, par, seq_reports, par_reports = stores
    by_name = {r.dump: r for r in par_reports}
    assert [r.dump for r in par_reports] == [r.dump for r in seq_reports]
    assert all(r.status != "failed" for r in par_reports), [r.message for r in par_reports]
    assert (
        "superseded by sor-global-2025-07-01-full" in by_name["sor-amazon-2025-07-01-full"].message
    )
    assert "covered by" in by_name["sor-tiktok-2025-07-01-full"].message
    assert by_name["sor-global-2025-06-30-full"].empty_parts == 1
    assert by_name["sor-global-2024-06-08-full"].missing_columns == ["content_id_ean"]

    uuids = _uuids(seq)
    assert uuids == _uuids(par)
    assert uuids.count(DUP) == 1 and len(uuids) == len(set(uuids))
    # the duplicate across the two neighbouring days was counted on the later day's dump
    later = by_name["sor-global-2025-07-01-full"]
    assert later.duplicates_in_store == 1 and later.duplicates_removed == 1
    assert later.rows_read == later.rows_written + later.quarantined + later.duplicates_removed

    seq_m, par_m = seq.manifests(), par.manifests()
    assert set(seq_m) == set(par_m)
    for key in seq_m:
        for field in ("dump", "rows_written", "quarantined", "duplicates", "rows_read"):
            assert seq_m[key][field] == par_m[key][field], (key, field)
        assert all((par.root / f).exists() for f in par_m[key]["files"])
    assert sorted(p.name for p in seq.quarantine_dir.iterdir()) == sorted(
        p.name for p in par.quarantine_dir.iterdir()
    )
    assert not list(par.root.rglob("*.tmp"))

    for name in ("simple", "complete", "country", "keyword", "visibility"):
        assert _rollup(seq, name) == _rollup(par, name), name
    a, b = DuckDBEngine(seq), DuckDBEngine(par)
    for agg in queries.STANDARD:
        for use_rollups in (True, False):
            got = b.run(agg, use_rollups=use_rollups)
            assert _table(got) == _table(a.run(agg, use_rollups=use_rollups)), agg.name
    a.close()
    b.close()


def test_cli_ingest_on_spark_skips_what_is_in_and_replaces_with_force(stores, dumps, capsys):
    """``tdb ingest --engine spark`` (through the CLI's entry point, on the tests' Spark
    session, which it leaves running since it did not start it)."""
    _, par, _, _ = stores
    before = _uuids(par)
    spark_args = ["--store", str(par.root), "--engine", "spark", "--master", "local[2]"]
    assert cli.main(["ingest", str(dumps), *spark_args, "--workers", "2"]) == 0
    out = capsys.readouterr().out
    assert "sor-global-2025-06-30-full: skipped (already ingested" in out
    one = dumps / "sor-global-2025-06-30-full.zip"
    assert cli.main(["ingest", str(one), "--force", *spark_args, "--workers", "2"]) == 0
    assert "sor-global-2025-06-30-full: " in capsys.readouterr().out
    # the day's rows were replaced, not doubled; the neighbour's duplicate stays counted once
    assert _uuids(par) == before
    entry = par.read_manifest("global-2025-06-30")
    assert entry is not None and all((par.root / f).exists() for f in entry["files"])
    assert not list(par.root.rglob("*.tmp"))


def test_both_engines_read_rollups_compacted_per_month_beside_daily_ones(stores, spark):
    from amparo.engines.tdb.compact import compact
    from amparo.engines.tdb.spark import SparkEngine

    seq, par, _, _ = stores
    done = compact(par, until=dt.date(2025, 7, 15))  # June 2024 and June 2025; July stays daily
    assert done.months == ["2024-06", "2025-06"]
    duck, sp, before = DuckDBEngine(par), SparkEngine(par, spark), DuckDBEngine(seq)
    for agg in queries.STANDARD:
        assert _table(duck.run(agg)) == _table(before.run(agg)), agg.name
    # Spark on three (kept few: each Spark query costs seconds here)
    for agg in (queries.by_name("complete"), queries.by_name("country"),
                queries.Aggregation("m", ("month", "platform"))):  # fmt: skip
        assert _table(sp.run(agg)) == _table(before.run(agg)), agg.name
    duck.close()
    before.close()
