"""The platform's answer to an escalation names its content id once: the case's Transparency
Database look-up uses it, and the statement found is saved on the case (encrypted)."""

from __future__ import annotations

import datetime as dt

import pytest

from amparo.audit.models import AuditEvent
from amparo.cases.models import StatementMatch
from amparo.engines.tdb import synth
from amparo.engines.tdb.ingest import ingest
from amparo.engines.tdb.store import Store
from amparo.escalations import services as escalations
from amparo.tdb import lookup
from tests.escalations.lifecycle_helpers import manual_escalation, sent
from tests.escalations.test_escalations import case_with

SMALL = {"rows_per_csv": 200, "rows_per_zip": 400, "malformed_rate": 0.0, "sample_puids": 5}


@pytest.fixture(scope="module")
def tdb_store(tmp_path_factory):
    root = tmp_path_factory.mktemp("tdb-match")
    dump = synth.write_dump(root / "dumps", dt.date(2025, 9, 2), 600, seed=11, **SMALL)
    [rep] = ingest([root / "dumps"], Store(root / "store"))
    assert rep.status == "ingested", rep.message
    return root / "store", dump.puids


@pytest.fixture
def store_case(tdb_store, people, monkeypatch):
    """A case on a platform the store holds, and one of that platform's content ids."""
    store_dir, puids = tdb_store
    monkeypatch.setenv("AMPARO_TDB_DIR", str(store_dir))
    name, puid = puids[0]
    platform = {v: k for k, v in lookup.TDB_NAMES.items()}.get(name, name)
    case = case_with(people)
    case.platform = platform
    case.save(update_fields=["platform"])
    return case, puid


def test_the_answers_content_id_finds_the_statement_and_saves_it_on_the_case(
    people, store_case, signed_in
):
    case, puid = store_case
    escalation = sent(people, manual_escalation(people, case=case))
    escalations.record_response(
        escalation, actor=people.carlos, text=f"We removed it. Content ID: {puid}."
    )
    match = StatementMatch.objects.get(case=case)
    expected = lookup.statements_for(case.platform, puid)["rows"][0]
    assert match.content_id == puid and match.statement["uuid"] == str(expected["uuid"])
    assert match.from_escalation == escalation.pk
    event = AuditEvent.objects.get(action="case.statement_matched")
    assert event.new["source"] == "escalation" and puid not in str(event.new)
    page = signed_in(people.carlos).get(f"/o/defenders/cases/{case.pk}/").content.decode()
    assert str(expected["uuid"]) in page and "from the platform's answer to an escalation" in page
    # Recording the answer again does not save it twice.
    escalations.record_response(escalation, actor=people.carlos, text="Another message.")
    assert StatementMatch.objects.filter(case=case).count() == 1


def test_the_case_page_looks_up_the_answers_content_id_without_typing_it(
    people, store_case, signed_in, monkeypatch
):
    from amparo.cases import statements

    case, puid = store_case
    escalation = sent(people, manual_escalation(people, case=case))
    monkeypatch.setattr(statements, "lookup_and_save", lambda *a, **k: None)  # not saved yet
    escalations.record_response(escalation, actor=people.carlos, content_id=puid)
    page = signed_in(people.carlos).get(f"/o/defenders/cases/{case.pk}/").content.decode()
    assert f'value="{puid}"' in page
    assert "The content id below comes from the platform" in page
    uuid = str(lookup.statements_for(case.platform, puid)["rows"][0]["uuid"])
    assert uuid in page and "save on the case" in page


def test_a_statement_found_by_a_typed_id_is_saved_from_the_page_as_the_store_has_it(
    people, store_case, signed_in
):
    case, puid = store_case
    client = signed_in(people.carlos)
    url = f"/o/defenders/cases/{case.pk}/statements/"
    forged = client.post(url, {"puid": puid, "statement": "forged"})
    assert forged.status_code == 200 and "No such statement" in forged.content.decode()
    assert not StatementMatch.objects.exists()
    uuid = str(lookup.statements_for(case.platform, puid)["rows"][0]["uuid"])
    saved = client.post(url, {"puid": puid, "statement": uuid})
    assert saved.status_code == 302
    match = StatementMatch.objects.get()
    assert match.statement["uuid"] == uuid and match.from_escalation is None
    viewer = signed_in(people.vera)
    refused = viewer.post(url, {"puid": puid, "statement": uuid})
    assert refused.status_code == 404


def test_the_content_id_is_never_stored_in_clear(people, store_case):
    from django.db import connection

    case, puid = store_case
    escalation = sent(people, manual_escalation(people, case=case))
    escalations.record_response(escalation, actor=people.carlos, content_id=puid)
    assert StatementMatch.objects.filter(case=case).exists()
    with connection.cursor() as cursor:
        cursor.execute("SELECT content_id, statement FROM cases_statementmatch")
        cells = [bytes(cell) for row in cursor.fetchall() for cell in row]
        cursor.execute("SELECT content_id FROM escalations_escalation")
        cells += [bytes(row[0]) for row in cursor.fetchall()]
    assert len(cells) == 3 and all(cells)  # control: the columns hold something
    assert not any(puid.encode() in cell for cell in cells)
