"""The Spark engine gives the same tables as DuckDB for the same query definitions."""

from __future__ import annotations

import datetime as dt

import pytest

from amparo.engines.tdb import lens, queries, synth
from amparo.engines.tdb.duck import DuckDBEngine
from amparo.engines.tdb.ingest import ingest
from amparo.engines.tdb.queries import Aggregation, Filter
from amparo.engines.tdb.store import Store

pytestmark = pytest.mark.spark


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    root = tmp_path_factory.mktemp("tdb-spark")
    for i, day in enumerate((dt.date(2025, 6, 30), dt.date(2025, 7, 1))):
        synth.write_dump(root / "dumps", day, 1500, seed=20 + i, malformed_rate=0.005,
                         rows_per_csv=500, rows_per_zip=1000)  # fmt: skip
    st = Store(root / "store")
    assert all(r.status == "ingested" for r in ingest([root / "dumps"], st))
    return st


def _rows(table) -> list[tuple]:
    cols = [c for c in table.column_names if c != "quality_flags"]
    return sorted(
        (tuple(r[c] for c in cols) for r in table.select(cols).to_pylist()),
        key=lambda t: tuple(str(v) for v in t),
    )


CUSTOM = (
    Aggregation("month-country", ("month", "country"), (Filter("platform", "eq", "TikTok"),)),
    Aggregation(
        "filtered",
        ("platform", "automated_detection"),
        (
            Filter("automated_detection", "eq", "Yes"),
            Filter("keyword", "not_null"),
            Filter("language", "not_in", ("EN", "DE")),
        ),
        start=dt.date(2025, 7, 1),
    ),
    Aggregation("text", ("category",), (Filter("decision_facts", "contains_text", "listing"),)),
)


def test_spark_equals_duckdb_on_the_standard_and_custom_aggregations(spark, store):
    from amparo.engines.tdb.spark import SparkEngine

    duck, sp = DuckDBEngine(store), SparkEngine(store, spark)
    # Every standard aggregation from the rollups, three (one per kind of SQL) from the rows,
    # and custom and lens ones as the engines choose (rows for free text, rollups else).
    from_rows = [queries.by_name(n) for n in ("simple", "complete", "country")]
    lens_aggs = [lens.question(q).aggregation for q in ("community-by-country", "fully-automated")]
    runs = [(a, True) for a in (*queries.STANDARD, *CUSTOM, *lens_aggs)]
    runs += [(a, False) for a in from_rows]
    for agg, use_rollups in runs:
        expected = duck.run(agg, use_rollups=use_rollups)
        got = sp.run(agg, use_rollups=use_rollups)
        assert got.engine.split(":")[1:] == expected.engine.split(":")[1:], agg.name
        assert _rows(got.table) == _rows(expected.table), (agg.name, use_rollups)
        assert [e.id for e in got.flags] == [e.id for e in expected.flags]
    duck.close()
