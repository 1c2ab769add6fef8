"""Accepting a report: the work that needs no lock first, then one short transaction with the
audit event last; nothing partial is ever kept; idempotency, token and risk-period caches."""

from __future__ import annotations

import json
import threading
from datetime import timedelta
from pathlib import Path
from unittest.mock import patch

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from amparo.audit.models import AuditEvent
from amparo.audit.selectors import verify_chain
from amparo.intake import services, tokens
from amparo.intake.models import ApiToken, Evidence, IdempotencyKey, Indicator, Report, RiskPeriod
from amparo.keyring.models import DataKey
from amparo.worker.models import ScheduledJob
from tests.intake.conftest import png_bytes, valid_report

BODY = {
    "incident_type": "harassment",
    "platform": "x",
    "narrative": "The same accounts reply to every post with insults and threats.",
    "language": "en",
    "country": "KE",
    "affected": ["@my_account"],
    "attackers": ["@troll_one", "https://x.com/troll_two"],
    "consent": {"contact": "no", "share_identity": "no", "collective": "ask", "statistics": "yes"},
}


def post(token: str, body: dict, key: str | None = None, client: Client | None = None):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    if key:
        headers["HTTP_IDEMPOTENCY_KEY"] = key
    return (client or Client()).post(
        "/api/v1/reports", json.dumps(body), content_type="application/json", **headers
    )


def nothing_of_a_report_is_stored() -> bool:
    return not (
        Report.objects.exists()
        or Indicator.objects.exists()
        or IdempotencyKey.objects.exists()
        or Evidence.objects.exists()
        or ScheduledJob.objects.filter(kind="intake.unacknowledged").exists()
        or DataKey.objects.filter(purpose=DataKey.Purpose.RECORD).exists()
        or AuditEvent.objects.filter(action="report.received").exists()
    )


def blob_files() -> set[Path]:
    return {p for p in Path(settings.AMPARO_BLOB_DIR).rglob("*") if p.is_file()}


# --- one short transaction, the audit event last ----------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_an_api_submission_is_one_transaction_without_savepoints_with_the_audit_event_last(
    token,
):
    post(token, BODY, key="warm-up")  # the token is cached, the organisation key exists
    with CaptureQueriesContext(connection) as queries:
        response = post(token, BODY, key="k-1")
    assert response.status_code == 201, response.content
    statements = [q["sql"].strip().upper() for q in queries.captured_queries]
    # Row-level security scope (amparo.core.rls), set and reset outside the transaction.
    statements = [s for s in statements if "SET_CONFIG('AMPARO.ORGANISATION'" not in s]
    # The per-token rate limit (intake/ratelimit.py) counts in the database cache first, in
    # its own short statements, before the submission starts.
    limit = max(i for i, s in enumerate(statements) if "AMPARO_CACHE" in s)
    assert limit <= 8, statements[: limit + 1]
    statements = [s for s in statements[limit + 1 :] if s != "COMMIT"]
    assert not [s for s in statements if s.startswith(("SAVEPOINT", "RELEASE"))]
    assert len(statements) <= 12, statements
    writes = [s for s in statements if s.startswith(("INSERT", "UPDATE", "DELETE"))]
    # Whatever the report needs is written before the chain head is locked, then only the
    # event and the new head.
    assert "AUDIT_AUDITEVENT" in writes[-2] and "AUDIT_CHAINHEAD" in writes[-1], writes
    head = next(i for i, s in enumerate(statements) if 'FROM "AUDIT_CHAINHEAD"' in s)
    assert [s.split()[0] for s in statements[head + 1 :]] in (
        ["INSERT", "UPDATE"],
        ["INSERT", "UPDATE", "COMMIT"],  # where the driver's COMMIT is captured
    ), statements[head:]
    report = Report.objects.get(pk=response.json()["id"])
    assert IdempotencyKey.objects.get(key="k-1").report == report
    assert Indicator.objects.filter(report=report).count() >= 3
    assert ScheduledJob.objects.filter(kind="intake.unacknowledged").count() == 4


def test_every_submission_is_audited_and_the_chain_verifies(people, token, signed_in):
    from tests.intake.test_import import HEADER, upload

    assert post(token, BODY, key="a").status_code == 201
    assert post(token, BODY, key="a").status_code == 200  # a replay is not a new report
    assert post(token, {**BODY, "narrative": "Another one."}).status_code == 201
    photo = SimpleUploadedFile("shot.jpg", png_bytes(), content_type="image/jpeg")
    assert (
        Client().post("/report/defenders/", {**valid_report(), "files": [photo]}).status_code == 200
    )
    rows = HEADER + "harassment,x,Abusive replies.,PK,@a,\ndoxxing,telegram,Address posted.,IR,,\n"
    upload(signed_in(people.carlos), "r.csv", rows.encode())
    reports = Report.objects.all()
    assert reports.count() == 5
    received = AuditEvent.objects.filter(action="report.received")
    assert sorted(e.object_id for e in received) == sorted(str(r.pk) for r in reports)
    assert received.get(object_id=str(Report.objects.get(channel="web_form").pk)).new["files"] == 1
    count, problems = verify_chain()
    assert problems == [] and count == AuditEvent.objects.count()


# --- nothing partial --------------------------------------------------------------------------


@pytest.fixture
def audit_fails(monkeypatch):
    """The audit event of a new report cannot be written (the last step of the transaction)."""
    original = services.record

    def record(action, **kwargs):
        if action == "report.received":
            raise RuntimeError("the audit log is unavailable")
        return original(action, **kwargs)

    monkeypatch.setattr(services, "record", record)
    return monkeypatch


def test_an_api_error_after_validation_leaves_no_partial_report_and_the_key_is_free(
    token, audit_fails
):
    response = post(token, BODY, key="k-fail", client=Client(raise_request_exception=False))
    assert response.status_code == 500
    assert nothing_of_a_report_is_stored()
    audit_fails.undo()
    retried = post(token, BODY, key="k-fail")
    assert retried.status_code == 201 and Report.objects.count() == 1


def test_a_form_error_after_validation_keeps_no_report_and_no_file(people, audit_fails):
    before = blob_files()
    photo = SimpleUploadedFile("shot.jpg", png_bytes(), content_type="image/jpeg")
    response = Client(raise_request_exception=False).post(
        "/report/defenders/", {**valid_report(), "files": [photo]}
    )
    assert response.status_code == 500
    assert nothing_of_a_report_is_stored()
    assert blob_files() == before  # the encrypted copies written before the transaction are gone


def test_an_import_that_fails_on_its_last_row_imports_nothing(people, signed_in, monkeypatch):
    from amparo.intake import importer
    from tests.intake.test_import import HEADER

    calls = []
    original = services.store_report

    def store_report(prepared, **kwargs):
        calls.append(prepared)
        if len(calls) == 3:
            raise RuntimeError("disk full")
        return original(prepared, **kwargs)

    monkeypatch.setattr(services, "store_report", store_report)
    rows = HEADER + "".join(f"harassment,x,Abusive replies number {i}.,PK,,\n" for i in range(3))
    with pytest.raises(RuntimeError):
        importer.import_file(people.org, "r.csv", rows.encode(), actor=people.carlos, language="en")
    assert len(calls) == 3 and nothing_of_a_report_is_stored()


def _clash_once(monkeypatch, taken: str) -> list[str]:
    given = [taken]

    def reference() -> str:
        return given.pop() if given else original()

    original = services._reference
    monkeypatch.setattr(services, "_reference", reference)
    return given


def test_a_reference_clash_inside_a_callers_transaction_is_retried(people, monkeypatch):
    from amparo.intake.forms import ReportForm

    form = ReportForm(valid_report())
    assert form.is_valid()
    first = services.submit_report(
        people.org, form.report_fields(), channel="web_form", language="en"
    )
    _clash_once(monkeypatch, first.report.reference)
    second = services.submit_report(
        people.org, form.report_fields(), channel="web_form", language="en"
    )
    assert second.report.reference != first.report.reference
    assert Report.objects.count() == 2
    assert AuditEvent.objects.filter(action="report.received").count() == 2
    assert verify_chain()[1] == []


@pytest.mark.django_db(transaction=True)
def test_a_reference_clash_in_its_own_transaction_is_retried(token, monkeypatch):
    first = post(token, BODY).json()["reference"]
    _clash_once(monkeypatch, first)
    response = post(token, BODY, key="after-clash")
    assert response.status_code == 201 and response.json()["reference"] != first
    assert Report.objects.count() == 2 and IdempotencyKey.objects.get().report.reference != first
    assert verify_chain()[1] == []


# --- idempotency ------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_simultaneous_identical_requests_make_one_report(token):
    tokens.authenticate(token)  # cached, so both requests go straight to the report
    barrier = threading.Barrier(2)
    answers: list[int | BaseException] = []

    def send() -> None:
        try:
            barrier.wait()
            answers.append(post(token, BODY, key="same-moment").status_code)
        except BaseException as exc:
            answers.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert all(isinstance(a, int) for a in answers), [repr(a) for a in answers]
    assert sorted(answers) in ([200, 201], [201, 409]), answers
    assert Report.objects.count() == 1 and IdempotencyKey.objects.count() == 1
    assert AuditEvent.objects.filter(action="report.received").count() == 1


def test_a_replay_with_an_invalid_body_is_still_a_conflict(token):
    assert post(token, BODY, key="k").status_code == 201
    assert post(token, {**BODY, "platform": "nowhere"}, key="k").status_code == 409


# --- caches -----------------------------------------------------------------------------------


def _token_queries(token: str) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        assert post(token, BODY).status_code == 201
    return [q["sql"] for q in queries.captured_queries if "intake_apitoken" in q["sql"]]


def test_a_checked_token_is_not_looked_up_again_only_its_revocation_is_read(token):
    assert len(_token_queries(token)) >= 1
    (again,) = _token_queries(token)  # one read of the row by primary key, no join, no prefix
    assert "revoked_at" in again and "JOIN" not in again and "prefix" not in again


def test_a_cached_token_stops_working_as_soon_as_it_is_revoked(people, token):
    assert post(token, BODY).status_code == 201  # now cached
    tokens.revoke(ApiToken.objects.get(), actor=people.alice)
    assert post(token, BODY).status_code == 401
    assert Report.objects.count() == 1


def test_a_token_revoked_by_another_process_stops_working_at_once(people, token):
    assert post(token, BODY).status_code == 201  # cached here
    assert tokens._checked.get(tokens._digest(token)) is not None
    # Revoked by another server process: this one is not told, and its cache is kept.
    other = ApiToken.objects.get()
    with patch.object(tokens, "forget"), patch.object(tokens.transaction, "on_commit"):
        tokens.revoke(other, actor=people.alice)
    assert tokens._checked.get(tokens._digest(token)) is not None
    assert post(token, BODY).status_code == 401
    assert post(token, BODY).status_code == 401  # and stays refused
    assert Report.objects.count() == 1


def test_a_revoked_token_is_refused_from_a_cold_cache(people, token):
    tokens.revoke(ApiToken.objects.get(), actor=people.alice)
    tokens.forget()
    assert post(token, BODY).status_code == 401


def _heightened(report_id: str) -> bool:
    reasons = Report.objects.get(pk=report_id).urgency_reasons
    return any(r["code"] == "heightened_risk" for r in reasons)


def test_a_new_risk_period_applies_at_once_in_the_process_that_saved_it(people, token):
    assert not _heightened(post(token, BODY).json()["id"])
    today = timezone.localdate()
    period = RiskPeriod.objects.create(
        organisation=people.org, country="KE", kind="election", starts_on=today, ends_on=today
    )
    assert _heightened(post(token, BODY).json()["id"])
    period.delete()
    assert not _heightened(post(token, BODY).json()["id"])


def test_a_risk_period_saved_by_another_process_applies_within_the_cache_time(
    people, token, monkeypatch
):
    from amparo.intake import urgency

    assert not _heightened(post(token, BODY).json()["id"])
    today = timezone.localdate()
    RiskPeriod.objects.bulk_create(  # no signal: as if another process had saved it
        [RiskPeriod(country="KE", kind="protest", starts_on=today, ends_on=today)]
    )
    assert not _heightened(post(token, BODY).json()["id"])
    now = urgency._periods.clock()
    monkeypatch.setattr(
        urgency._periods, "clock", lambda: now + urgency.RISK_PERIOD_CACHE_SECONDS + 0.01
    )
    assert _heightened(post(token, BODY).json()["id"])


def test_form_choices_are_built_once_and_shown_in_the_active_language():
    from amparo.intake.forms import ReportForm

    with translation.override("es"):
        spanish = dict(ReportForm().fields["country"].choices)
        assert ReportForm({**valid_report(), "country": "MX"}).is_valid()
    with translation.override("en"):
        english = dict(ReportForm().fields["country"].choices)
        assert not ReportForm({**valid_report(), "country": "QQ"}).is_valid()
    assert spanish["DE"] == "Alemania" and english["DE"] == "Germany"
    assert spanish[""] == english[""] == "—"
    assert dict(ReportForm().fields["platform"].choices)["tiktok"] == "TikTok"
    assert ReportForm().fields["country"].choices is ReportForm().fields["country"].choices


def test_received_at_is_still_the_coarse_time(token):
    report = Report.objects.get(pk=post(token, BODY).json()["id"])
    assert report.received_at <= timezone.now()
    assert report.received_at > timezone.now() - timedelta(minutes=16)
    assert report.received_at.minute % 15 == 0
