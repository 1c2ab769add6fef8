"""The case page's look-up of a statement of reasons in the local Transparency Database store."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from amparo.engines.tdb import synth
from amparo.engines.tdb.ingest import ingest
from amparo.engines.tdb.store import Store
from amparo.tdb import lookup

SMALL = {"rows_per_csv": 200, "rows_per_zip": 400, "malformed_rate": 0.0, "sample_puids": 5}


@pytest.fixture(scope="module")
def tdb_store(tmp_path_factory):
    root = tmp_path_factory.mktemp("tdb-lookup")
    dump = synth.write_dump(root / "dumps", dt.date(2025, 9, 2), 600, seed=11, **SMALL)
    [rep] = ingest([root / "dumps"], Store(root / "store"))
    assert rep.status == "ingested", rep.message
    return root / "store", dump.puids


def _case_platform(name: str) -> str:
    """Amparo's platform slug for a Transparency Database platform name."""
    return {v: k for k, v in lookup.TDB_NAMES.items()}.get(name, name)


def test_the_case_page_finds_a_statement_by_content_id(
    tdb_store,
    people,
    signed_in,
    case,
    monkeypatch,
):
    store_dir, puids = tdb_store
    monkeypatch.setenv("AMPARO_TDB_DIR", str(store_dir))
    name, puid = puids[0]
    case.platform = _case_platform(name)
    case.save(update_fields=["platform"])
    url = reverse("case_detail", args=[people.org.slug, case.pk])
    page = signed_in(people.carlos).get(url, {"puid": puid}).content.decode()
    found = lookup.statements_for(case.platform, puid)
    assert found["available"] and not found["error"] and len(found["rows"]) >= 1
    assert found["rows"][0]["uuid"] in page
    assert "No statement with this content id." not in page


def test_no_store_and_a_damaged_store_are_told_apart(tdb_store, tmp_path, monkeypatch):
    monkeypatch.setenv("AMPARO_TDB_DIR", str(tmp_path / "nothing-here"))
    assert lookup.statements_for("tiktok", "x") == {"available": False, "error": False, "rows": []}
    broken = tmp_path / "broken"
    target = broken / "rows" / "day=2025-09-02" / "platform=tiktok"
    target.mkdir(parents=True)
    (target / "part.parquet").write_bytes(b"not parquet at all")
    monkeypatch.setenv("AMPARO_TDB_DIR", str(broken))
    found = lookup.statements_for("tiktok", "x")
    assert found["available"] and found["error"] and found["rows"] == []


def test_no_such_platform_differs_from_no_statement_and_spelling_does_not_matter(
    tdb_store, monkeypatch
):
    store_dir, puids = tdb_store
    monkeypatch.setenv("AMPARO_TDB_DIR", str(store_dir))
    name, puid = puids[0]
    for spelling in (name.upper(), name.lower().replace(" ", "-"), f" {name} "):
        found = lookup.statements_for(spelling, f"  {puid} ")
        assert found["rows"] and not found["unknown_platform"], spelling
    none = lookup.statements_for(name, "no-such-content-id")
    assert none["rows"] == [] and none["unknown_platform"] is False and not none["error"]
    unknown = lookup.statements_for("myspace", puid)
    assert unknown["unknown_platform"] is True and not unknown["error"] and unknown["rows"] == []


def test_the_case_page_says_when_the_platform_is_not_in_the_store(
    tdb_store, people, signed_in, case, monkeypatch
):
    store_dir, puids = tdb_store
    monkeypatch.setenv("AMPARO_TDB_DIR", str(store_dir))
    case.platform = "myspace"
    case.save(update_fields=["platform"])
    url = reverse("case_detail", args=[people.org.slug, case.pk])
    page = signed_in(people.carlos).get(url, {"puid": puids[0][1]}).content.decode()
    assert "holds no statement of this platform at all" in page
    assert "No statement with this content id." not in page
