"""Aggregations, the community lens, data-quality flags, case lookup and the CLI."""

from __future__ import annotations

import datetime as dt
import json
import xml.etree.ElementTree as ET

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as ds
import pytest

from amparo.engines.tdb import cases, cli, lens, queries, synth
from amparo.engines.tdb.duck import DuckDBEngine
from amparo.engines.tdb.ingest import ingest
from amparo.engines.tdb.queries import Aggregation, Filter
from amparo.engines.tdb.store import Store

DAYS = (dt.date(2024, 5, 21), dt.date(2025, 9, 2))


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    """Two days (one v1 before the deduplication, one v2), with a few malformed rows."""
    root = tmp_path_factory.mktemp("tdb")
    reports = [
        synth.write_dump(
            root / "dumps",
            day,
            2500,
            seed=i,
            malformed_rate=0.004,
            rows_per_csv=500,
            rows_per_zip=1500,
            sample_puids=5,
        )
        for i, day in enumerate(DAYS)
    ]
    store = Store(root / "store")
    ingested = ingest([root / "dumps"], store)
    assert [r.status for r in ingested] == ["ingested", "ingested"]
    rows = ds.dataset(store.rows_dir, format="parquet", partitioning="hive").to_table()
    return store, rows, reports


@pytest.fixture(scope="module")
def engine(sample):
    e = DuckDBEngine(sample[0])
    yield e
    e.close()


def _sorted(t: pa.Table) -> list[dict]:
    t = t.drop_columns([c for c in t.column_names if c == "quality_flags"])
    return sorted(t.to_pylist(), key=lambda r: tuple(str(v) for v in r.values()))


def test_rollups_answer_the_standard_aggregations_exactly_as_the_rows(engine):
    for agg in queries.STANDARD:
        from_rollup = engine.run(agg)
        from_rows = engine.run(agg, use_rollups=False)
        assert from_rollup.engine.startswith("duckdb:rollup:"), agg.name
        assert _sorted(from_rollup.table) == _sorted(from_rows.table), agg.name


def test_every_statement_is_counted_once_in_scalar_breakdowns(sample, engine):
    _, rows, _ = sample
    simple = engine.run(queries.by_name("simple")).table
    assert pc.sum(simple["statements"]).as_py() == rows.num_rows


def test_list_breakdowns_keep_statements_with_empty_lists_under_null(sample, engine):
    _, rows, _ = sample
    by_country = engine.run(Aggregation("c", ("country",))).table.to_pylist()
    counts = {r["country"]: r["statements"] for r in by_country}
    scope = rows["territorial_scope"].to_pylist()
    assert counts.get(None, 0) == sum(1 for s in scope if not s)
    assert counts["DE"] == sum(1 for s in scope if s and "DE" in s)


def test_filters_on_platform_country_category_and_text(sample, engine):
    _, rows, _ = sample
    agg = Aggregation(
        "f",
        ("platform",),
        (
            Filter("platform", "in", ("TikTok", "Facebook")),
            Filter("country", "eq", "DE"),
            Filter("category", "ne", "STATEMENT_CATEGORY_SCAMS_AND_FRAUD"),
        ),
        start=DAYS[1] - dt.timedelta(days=1),
    )
    got = {r["platform"]: r["statements"] for r in engine.run(agg).table.to_pylist()}
    expected: dict[str, int] = {}
    for r in rows.to_pylist():
        if (
            r["platform_name"] in ("TikTok", "Facebook")
            and "DE" in (r["territorial_scope"] or [])
            and r["category"] != "STATEMENT_CATEGORY_SCAMS_AND_FRAUD"
            and r["created_at"].date() >= DAYS[1] - dt.timedelta(days=1)
        ):
            expected[r["platform_name"]] = expected.get(r["platform_name"], 0) + 1
    assert got == expected

    text = engine.run(Aggregation("t", (), (Filter("decision_facts", "contains_text", "LISTING"),)))
    assert text.engine == "duckdb"  # free text is not in any rollup
    n = sum(1 for f in rows["decision_facts"].to_pylist() if f and "listing" in f.lower())
    assert text.table["statements"][0].as_py() == n


def test_data_quality_events_are_flagged_on_results_and_rows(engine):
    agg = Aggregation("auto", ("day", "platform", "automated_detection"))
    result = engine.run(agg)
    ids = {e.id for e in result.flags}
    assert ids == {"deduplication-2024-05-22", "google-play-automated-detection"}
    for r in result.table.to_pylist():
        flags = set((r["quality_flags"] or "").split(";")) - {""}
        assert ("deduplication-2024-05-22" in flags) == (r["day"] <= dt.date(2024, 5, 22))
        assert ("google-play-automated-detection" in flags) == (r["platform"] == "Google Play")

    later = engine.run(Aggregation("c", ("category",), start=dt.date(2025, 1, 1)))
    assert later.flags == []


def test_each_lens_question_has_a_table_and_an_offline_svg_chart(engine):
    for q in lens.QUESTIONS:
        answer = lens.answer(engine, q.id)
        assert answer.table.num_rows > 0, q.id
        svg = ET.fromstring(answer.svg)
        assert svg.tag.endswith("svg")
        assert "http" not in answer.svg.replace("http://www.w3.org/2000/svg", "")


def test_share_fully_automated_is_a_share_per_platform(sample, engine):
    _, rows, _ = sample
    table = lens.answer(engine, "fully-automated").table.to_pylist()
    x = next(r for r in table if r["platform"] == "X")
    assert x["share"] == 0.0  # the generator's X, like the real one, reports none
    tiktok = [r for r in rows.to_pylist() if r["platform_name"] == "TikTok"]
    fully = sum(r["automated_decision"] == "AUTOMATED_DECISION_FULLY" for r in tiktok)
    row = next(r for r in table if r["platform"] == "TikTok")
    assert row["statements"] == len(tiktok) and row["share"] == pytest.approx(fully / len(tiktok))


def test_a_case_finds_its_statement_by_the_platforms_content_id(sample):
    store, _, reports = sample
    platform, puid = reports[1].puids[0]
    found = cases.find_statements(store, platform, puid)
    assert [r["platform_uid"] for r in found] == [puid]
    assert found[0]["platform_name"] == platform and isinstance(found[0]["content_type"], list)
    assert cases.find_statements(store, platform, "no-such-id") == []
    with pytest.raises(cases.UnknownPlatform):  # not the same as "no statement found"
        cases.find_statements(store, "Unknown Platform", puid)


def test_population_figures_for_a_group_of_cases(sample):
    store, rows, _ = sample
    figures = cases.population_figures(
        store, "TikTok", "STATEMENT_CATEGORY_ILLEGAL_OR_HARMFUL_SPEECH", "DE"
    )
    expected = [
        r
        for r in rows.to_pylist()
        if r["platform_name"] == "TikTok"
        and r["category"] == "STATEMENT_CATEGORY_ILLEGAL_OR_HARMFUL_SPEECH"
        and "DE" in (r["territorial_scope"] or [])
    ]
    assert figures["statements"] == len(expected) > 0
    assert 0 <= figures["share_fully_automated"] <= 1
    group = cases.case_group_figures(
        store,
        [
            cases.CaseRef("TikTok", "STATEMENT_CATEGORY_ILLEGAL_OR_HARMFUL_SPEECH", "DE", DAYS[1]),
            cases.CaseRef("TikTok", "STATEMENT_CATEGORY_ILLEGAL_OR_HARMFUL_SPEECH", "DE", DAYS[1]),
            cases.CaseRef("Facebook", None, None, DAYS[0]),
        ],
    )
    assert [g["cases"] for g in group] == [1, 2]
    assert "deduplication-2024-05-22" in group[0]["quality_flags"]


def test_the_cli_aggregates_answers_the_lens_and_looks_up(sample, tmp_path, capsys):
    store, _, reports = sample
    out = tmp_path / "out"
    assert cli.main(["--store", str(store.root), "aggregate", "simple", "country",
                     "--out", str(out), "--format", "parquet", "--chart"]) == 0  # fmt: skip
    assert (out / "simple.parquet").exists() and (out / "country.svg").exists()
    assert cli.main(["--store", str(store.root), "lens", "terms-of-service",
                     "--filter", "platform=TikTok", "--out", str(out)]) == 0  # fmt: skip
    assert (out / "terms-of-service.csv").exists()
    capsys.readouterr()
    platform, puid = reports[0].puids[0]
    assert cli.main(["--store", str(store.root), "lookup", "--platform", platform, puid,
                     "--json"]) == 0  # fmt: skip
    assert json.loads(capsys.readouterr().out)[puid][0]["platform_uid"] == puid
    assert cli.main(["--store", str(store.root), "status"]) == 0
    assert cli.main(["status", "--store", str(store.root)]) == 0


def test_the_cli_needs_a_store(monkeypatch, tmp_path):
    monkeypatch.delenv("AMPARO_TDB_DIR", raising=False)
    assert cli.main(["status"]) == 2
    monkeypatch.setenv("AMPARO_TDB_DIR", str(tmp_path))
    assert cli.main(["status"]) == 0


def test_filters_are_parsed_from_the_command_line():
    assert cli.parse_filter("platform=TikTok") == Filter("platform", "in", "TikTok")
    assert cli.parse_filter("country=DE,FR").value == ("DE", "FR")
    assert cli.parse_filter("decision_account!=:null").op == "not_null"
    assert cli.parse_filter("decision_facts~election").op == "contains_text"


@pytest.mark.parametrize(
    ("rows", "rows_per_csv"),
    [(300, 400), (800, 100), (1000, 100)],
    ids=["one part", "eight parts: one combined table", "ten parts: combined and two more"],
)
def test_rollups_equal_the_rows_however_the_parts_were_summed(tmp_path, rows, rows_per_csv):
    synth.write_dump(
        tmp_path / "dumps", DAYS[1], rows, seed=3, rows_per_csv=rows_per_csv, rows_per_zip=400
    )
    store = Store(tmp_path / "store")
    [report] = ingest([tmp_path / "dumps"], store)
    assert report.status == "ingested", report.message
    engine = DuckDBEngine(store)
    try:
        for agg in queries.STANDARD:
            from_rollup = engine.run(agg)
            assert from_rollup.engine.startswith("duckdb:rollup:"), agg.name
            assert _sorted(from_rollup.table) == _sorted(engine.run(agg, use_rollups=False).table)
    finally:
        engine.close()
