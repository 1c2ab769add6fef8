"""Research questions on the store: free-text search, delays, notifiers, laws, samples, bulk
matching and the downloads (amparo.engines.tdb.research and .search)."""

from __future__ import annotations

import csv
import io

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as ds
import pyarrow.parquet as pq
import pytest
from tests.tdb_app.store import PLANTED, build

from amparo.engines.tdb import research, search
from amparo.engines.tdb.queries import Filter
from amparo.engines.tdb.research import ResearchEngine, Selection


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    return build(tmp_path_factory.mktemp("research"))


@pytest.fixture(scope="module")
def rows(store):
    return ds.dataset(store.rows_dir, format="parquet", partitioning="hive").to_table()


@pytest.fixture(scope="module")
def records(rows):
    return rows.to_pylist()


@pytest.fixture(scope="module")
def engine(store):
    e = ResearchEngine(store)
    yield e
    e.close()


def _text(r: dict) -> str:
    fields = search.FIELDS["all"]
    return "\n".join(r[c] for c in fields if r[c])


@pytest.mark.parametrize(
    "query",
    [
        "Wahlen",
        "election",
        '"hate speech"',
        "journalist threat OR doxxing",
        "elec* -integrity",
        "HATE speech",
        "παραπληροφόρηση",
        "StGB",
    ],
)
def test_search_in_duckdb_finds_exactly_what_the_python_matcher_finds(engine, records, query):
    q = search.parse(query)
    got = engine.aggregate(Selection(text=q), "n", ()).table["statements"][0].as_py()
    expected = sum(1 for r in records if search.matches(q, _text(r)))
    assert got == expected
    assert got > 0, "the sample must hold statements for every query"


def test_a_word_finds_its_translations_and_inflections_across_languages(engine, records):
    q = search.parse("elections")
    facts = [r["decision_facts"] for r in records if search.matches(q, _text(r))]
    assert any("Wahlen" in f for f in facts)  # German
    assert any("elecciones" in f for f in facts)  # Spanish
    assert any("εκλογές" in f for f in facts)  # Greek, accents and final sigma folded
    journalist = search.parse("journalists")
    assert search.matches(journalist, "Une journaliste a reçu des menaces")
    assert search.matches(journalist, "Las elecciones y el periodista")
    assert not search.matches(journalist, "the journal of record")


def test_phrases_or_and_exclusions():
    q = search.parse('"hate speech" OR doxxing -spam')
    assert search.describe(q) == '"hate speech" OR doxxing -spam'
    assert search.matches(q, "Hate   speech, again")
    assert not search.matches(q, "hate and speech")
    assert search.matches(q, "doxxing of an activist")
    assert not search.matches(q, "doxxing and spam")


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", "empty"),
        ('"unclosed phrase', "unclosed"),
        ("OR hate", "lonely_or"),
        ("hate OR", "lonely_or"),
        ("-spam", "only_excluded"),
        ("ab*", "short_prefix"),
        ("x" * 501, "too_long"),
        (" ".join(["w"] * 41), "too_many"),
        ("!!! ???", "empty"),
    ],
)
def test_queries_that_cannot_be_searched_say_why(text, code):
    with pytest.raises(search.SearchError) as caught:
        search.parse(text)
    assert caught.value.code == code


def test_the_python_normalisation_is_the_sql_one_and_queries_fold_the_rest():
    import duckdb

    samples = ["Élections ÉLECTIONS", "Straße", "Łódź Nienawiść", "ΕΚΛΟΓΈΣ σοφός", "Выборы й",
               "İstanbul", "Ærø Œuvre", "eleições", "Việt Nam", "حرية الصحافة"]  # fmt: skip
    con = duckdb.connect()
    for text in samples:
        sql = con.execute(f"SELECT {search.normalised_sql('?')}", [text]).fetchone()[0]
        # Equal up to the Greek final sigma (Python lowers Σ by context): patterns take both.
        assert sql.replace("ς", "σ") == search.normalise_text(text).replace("ς", "σ"), text
    assert search.normalise("Łódź") == "lodz" and search.normalise("Straße") == "strasse"
    for query, text in (("lodz", "in Łódź"), ("Strasse", "Straße"), ("oeuvre", "Œuvre"),
                        ("ΣΟΦΟΣ", "σοφός"), ("aero", "Ærø")):  # fmt: skip
        assert search.matches(search.parse(query), text), (query, text)
        pattern = search.term_pattern(search.parse(query).groups[0][0])
        found = con.execute(
            f"SELECT regexp_matches({search.normalised_sql('?')}, ?)", [text, pattern]
        ).fetchone()[0]
        assert found, (query, text)


def test_every_variant_is_written_in_normalised_form():
    for group in search.VARIANTS:
        for word in group:
            assert word == search.normalise(word) and " " not in word, word


def test_aggregations_with_a_search_keep_the_engine_definitions(engine, records):
    q = search.parse("elections")
    selection = Selection((Filter("platform", "in", ("TikTok", "X")),), text=q)
    got = {r["platform"]: r["statements"] for r in
           engine.aggregate(selection, "p", ("platform",)).table.to_pylist()}  # fmt: skip
    expected: dict[str, int] = {}
    for r in records:
        if r["platform_name"] in ("TikTok", "X") and search.matches(q, _text(r)):
            expected[r["platform_name"]] = expected.get(r["platform_name"], 0) + 1
    assert got == expected and got
    plain = engine.aggregate(Selection(), "p", ("platform",))
    assert plain.engine.startswith("duckdb:rollup:")  # no search: the rollups answer


def test_lens_questions_run_with_a_search(engine, records):
    answer = engine.lens(Selection(text=search.parse("hate")), "fully-automated")
    assert answer.table.num_rows > 0 and "share" in answer.table.column_names
    total = sum(answer.table["statements"].to_pylist())
    q = search.parse("hate")
    assert total == sum(1 for r in records if search.matches(q, _text(r)))


def test_delays_are_quantiles_of_the_dates_per_platform(engine, rows, records):
    delays = engine.delays(Selection())
    by_platform = {r["platform"]: r for r in delays.quantiles.to_pylist()}
    tiktok = [r for r in records if r["platform_name"] == "TikTok"]
    action = np.array(
        [(r["application_date"] - r["content_date"]).days for r in tiktok if r["content_date"]]
    )
    known = action[action >= 0]
    got = by_platform["TikTok"]
    assert got["action_known"] == len(known)
    for p in (50, 90, 99):
        assert got[f"action_p{p}"] == int(np.percentile(known, p, method="inverted_cdf"))
    assert by_platform[None]["statements"] == rows.num_rows  # the all-platforms row
    assert by_platform["LinkedIn"]["action_negative"] >= 2  # the planted reversed dates
    publication = {r["days"]: r["statements"] for r in delays.distribution.to_pylist()
                   if r["measure"] == "publication"}  # fmt: skip
    assert sum(publication.values()) == rows.num_rows
    action_days = [r["days"] for r in delays.distribution.to_pylist() if r["measure"] == "action"]
    order = ["negative", *(b[0] for b in research.DELAY_BUCKETS), "unknown"]
    assert action_days == [d for d in order if d in action_days]
    assert "unknown" in action_days  # the planted empty content date


def test_notifiers_and_laws_are_dimensions_read_from_the_rows(engine, rows):
    named = Selection((Filter("source_identity", "not_null"),))
    result = engine.aggregate(named, "n", ("source_type", "source_identity"))
    got = {
        (r["source_type"], r["source_identity"]): r["statements"] for r in result.table.to_pylist()
    }
    assert got[("SOURCE_TRUSTED_FLAGGER", "HateAid gGmbH")] == 4  # two planted rows a day
    assert result.engine == "duckdb"  # not in any rollup
    assert "meta-trusted-flagger-labels" in {e.id for e in result.flags}
    laws = engine.aggregate(Selection(), "l", ("legal_ground",)).table.to_pylist()
    assert {"legal_ground": "§ 185 StGB", "statements": 2} in laws


def test_a_sample_is_reproducible_by_its_seed_and_capped(engine, rows):
    selection = Selection((Filter("platform", "eq", "TikTok"),))
    first, total = engine.sample(selection, size=20, seed=7)
    again, _ = engine.sample(selection, size=20, seed=7)
    other, _ = engine.sample(selection, size=20, seed=8)
    assert first["uuid"].to_pylist() == again["uuid"].to_pylist()
    assert first["uuid"].to_pylist() != other["uuid"].to_pylist()
    assert first["sample_rank"].to_pylist() == list(range(1, 21))
    assert set(first["platform_name"].to_pylist()) == {"TikTok"}
    assert total == sum(1 for p in rows["platform_name"].to_pylist() if p == "TikTok")
    everything, total_all = engine.sample(Selection(), size=10**9, seed=1)
    assert everything.num_rows == min(total_all, research.SAMPLE_LIMIT) == rows.num_rows
    # A smaller sample is the head of a larger one with the same seed.
    five, _ = engine.sample(selection, size=5, seed=7)
    assert five["uuid"].to_pylist() == first["uuid"].to_pylist()[:5]


def test_bulk_matching_by_ids_and_urls(engine):
    data = (
        b"# a comment\n"
        b"https://www.tiktok.com/@someone/video/7291829384756473829?lang=en\n"
        b"https://x.com/someone/status/1717181920212223242\n"
        b"https://www.linkedin.com/posts/jane_title-activity-7123456789012345678-AbCd\n"
        b"https://www.instagram.com/p/CxYz12AbC_d/\n"
        b"Facebook,100044_10159\n"
        b"https://t.me/somechannel/1234\n"
        b"https://vm.tiktok.com/ZMabc/\n"
        b"TikTok,1\n"
        b"Mastodon,42\n"
        b"\n"
    )
    wanted = research.read_list(data)
    assert [w.line for w in wanted] == [2, 3, 4, 5, 6, 7, 8, 9, 10]
    matches = engine.match(wanted)
    status = [m.status for m in matches]
    assert status == ["found"] * 6 + ["unresolved", "not_found", "platform_not_in_store"]
    assert all(len(m.statements) == 2 for m in matches[:6])  # planted once a day
    assert matches[6].wanted.unresolved.code == "short_link"
    table = research.matches_table(matches)
    assert table.num_rows == 6 * 2 + 3
    # Ids alone, of a platform chosen for the whole file; a header row names the columns.
    alone = research.read_list(b"7291829384756473829\n999\n", "TikTok")
    assert [m.status for m in engine.match(alone)] == ["found", "not_found"]
    headed = research.read_list(b"platform;content_id\nX;1717181920212223242\n")
    assert [m.status for m in engine.match(headed)] == ["found"]
    anywhere = research.read_list(b"urn:li:activity:7123456789012345678\n")
    assert [m.status for m in engine.match(anywhere)] == ["found"]
    with pytest.raises(ValueError, match="at most 3"):
        research.read_list(b"1\n2\n3\n4\n", limit=3)


def test_downloads_flatten_lists_and_disarm_formulas_in_csv_only(engine):
    sample, _ = engine.sample(Selection((Filter("platform", "eq", "Instagram"),)), size=50)
    text = research.to_csv(sample).decode()
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == sample.num_rows
    trap = next(r for r in rows if "spreadsheet trap" in r["decision_facts"])
    assert trap["decision_facts"].startswith("'=HYPERLINK")
    assert all(r["territorial_scope"] == "" or r["territorial_scope"].startswith("[")
               for r in rows)  # fmt: skip
    parquet = pq.read_table(io.BytesIO(research.to_parquet(sample)))
    facts = parquet["decision_facts"].to_pylist()
    assert any(f.startswith("=HYPERLINK") for f in facts)  # unchanged in Parquet
    assert parquet.schema.field("territorial_scope").type == pa.list_(pa.string())


def test_an_empty_store_answers_empty(tmp_path):
    from amparo.engines.tdb.store import Store

    with ResearchEngine(Store(tmp_path)) as empty:
        assert empty.platforms() == []
        assert empty.count(Selection(text=search.parse("x"))) == 0
        assert empty.delays(Selection()).quantiles.num_rows == 0
        table, total = empty.sample(Selection())
        assert table.num_rows == 0 and total == 0


def test_the_planted_rows_are_in_the_store(rows):
    uids = set(pc.unique(rows["platform_uid"]).to_pylist())
    assert {p["platform_uid"] for p in PLANTED} <= uids
