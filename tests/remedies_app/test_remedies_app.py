"""Remedies on a case: open remedies with their deadlines, documents, filing and decision clocks."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from amparo.remedies import services
from amparo.remedies.models import RemedyStep
from amparo.worker.services import claim_due, run_job
from tests.escalations.test_escalations import CANARY, case_with


def test_open_remedies_follow_the_ladder(people):
    case = case_with(people, country="DE")
    decision = services.record_decision(
        case,
        decision_type="account_suspended",
        informed_on=date(2026, 8, 31),
        decided_on=None,
        represented=False,
        actor=people.carlos,
    )
    codes = {r.code.value: r for r in services.open_remedies(decision)}
    assert "art20_complaint" in codes and "art21_ods" in codes
    assert codes["art20_complaint"].deadline == date(2027, 2, 28)  # six months, month end clamped


def test_outside_the_eu_there_is_no_art20(people):
    case = case_with(people, country="PK")
    decision = services.record_decision(
        case,
        decision_type="content_removed",
        informed_on=date(2026, 11, 1),
        decided_on=None,
        represented=False,
        actor=people.carlos,
    )
    codes = {r.code.value for r in services.open_remedies(decision)}
    assert "art20_complaint" not in codes and codes


@pytest.mark.parametrize("language", ["en", "fr", "de", "es", "it", "pl", "nl"])
def test_an_art20_complaint_is_generated_in_each_language_without_identity(people, language):
    case = case_with(people, country="DE")
    decision = services.record_decision(
        case,
        decision_type="account_suspended",
        informed_on=timezone.localdate(),
        decided_on=None,
        represented=False,
        actor=people.carlos,
    )
    step = services.prepare_step(
        decision,
        "art20_complaint",
        language=language,
        facts="",
        arguments="",
        requested="",
        include_identity=False,
        actor=people.carlos,
    )
    assert step.document_text and step.document_sha256 and step.document_contents
    assert CANARY not in step.document_text
    assert step.filing_deadline is not None and step.document_pdf
    with pytest.raises(ValidationError):
        services.prepare_step(
            decision,
            "art20_complaint",
            language=language,
            facts="",
            arguments="",
            requested="",
            include_identity=True,
            actor=people.carlos,
        )  # no consent


def test_filing_starts_the_decision_clock_and_a_chase_follows(people, smtp_server):
    case = case_with(people, country="DE")
    decision = services.record_decision(
        case,
        decision_type="account_suspended",
        informed_on=timezone.localdate(),
        decided_on=None,
        represented=False,
        actor=people.carlos,
    )
    step = services.prepare_step(
        decision,
        "art21_ods",
        language="en",
        facts="",
        arguments="",
        requested="",
        include_identity=False,
        actor=people.carlos,
    )
    services.file_step(
        step, filed_on=timezone.localdate(), reference="ACE-2026-1", actor=people.carlos
    )
    step.refresh_from_db()
    assert step.decision_due == timezone.localdate() + timedelta(days=90)
    jobs = [
        j
        for j in claim_due("w", now=timezone.now() + timedelta(days=91))
        if j.kind == "remedy.decision_due"
    ]
    assert len(jobs) == 1
    run_job(jobs[0])
    from tests.test_outbound import run_due

    run_due()  # the e-mail was queued; the worker delivers it
    # the remedy in words, never its code
    subjects = [" ".join(str(m["Subject"]).split()) for m in smtp_server.messages]  # unfolded
    assert any("Out-of-court dispute settlement (DSA Art 21)" in s for s in subjects)
    assert not any("art21_ods" in s for s in subjects)


def test_a_window_reminder_comes_before_the_art20_deadline(people):
    case = case_with(people, country="DE")
    services.record_decision(
        case,
        decision_type="content_removed",
        informed_on=timezone.localdate(),
        decided_on=None,
        represented=False,
        actor=people.carlos,
    )
    with time_machine.travel(timezone.now() + timedelta(days=200), tick=False):
        kinds = {j.kind for j in claim_due("w")}
    assert "remedy.window_closing" in kinds


def test_filing_on_a_day_still_to_come_is_refused(people):
    """(Filing an Art 20 complaint after its six months is allowed with a warning:
    tests/remedies_app/test_remedy_states.py.)"""
    case = case_with(people, country="DE")
    decision = services.record_decision(
        case,
        decision_type="content_removed",
        informed_on=timezone.localdate() - timedelta(days=30),
        decided_on=None,
        represented=False,
        actor=people.carlos,
    )
    step = services.prepare_step(
        decision,
        "art20_complaint",
        language="en",
        facts="",
        arguments="",
        requested="",
        include_identity=False,
        actor=people.carlos,
    )
    with pytest.raises(ValidationError, match="future"):
        services.file_step(
            step,
            filed_on=step.filing_deadline + timedelta(days=1),
            reference="",
            actor=people.carlos,
        )
    services.record_outcome(
        services.file_step(step, filed_on=timezone.localdate(), reference="", actor=people.carlos),
        outcome="upheld",
        decided_on=timezone.localdate(),
        actor=people.carlos,
    )
    assert RemedyStep.objects.get().outcome == "upheld"


def test_the_pages_show_deadlines_and_serve_documents(people, signed_in):
    case = case_with(people, country="DE")
    client = signed_in(people.carlos)
    client.post(
        f"/o/defenders/cases/{case.pk}/remedies/decisions/",
        {
            "decision_type": "account_suspended",
            "informed_on": timezone.localdate().isoformat(),
        },
    )
    page = client.get(f"/o/defenders/cases/{case.pk}/remedies/").content.decode()
    assert "Art 20" in page or "art20" in page
    decision = case.decisions.get()
    response = client.post(
        f"/o/defenders/cases/{case.pk}/remedies/prepare/",
        {
            "decision": str(decision.pk),
            "code": "art20_complaint",
            "language": "fr",
        },
    )
    step = RemedyStep.objects.get()
    assert response["Location"] == f"/o/defenders/remedies/{step.pk}/"
    pdf = b"".join(
        client.get(f"/o/defenders/remedies/{step.pk}/document/?format=pdf").streaming_content
    )
    assert pdf.startswith(b"%PDF")
    text = client.get(f"/o/defenders/remedies/{step.pk}/document/").content.decode()
    assert text == step.document_text


def test_the_pages_post_each_action_to_its_own_address_and_keep_what_was_typed(people, signed_in):
    case = case_with(people, country="DE")
    client = signed_in(people.carlos)
    base = f"/o/defenders/cases/{case.pk}/remedies/"
    assert client.post(base, {"action": "decision"}).status_code == 405  # the page only reads
    # A decision without the day the person was informed: said, the reference typed kept.
    page = client.post(
        base + "decisions/",
        {"decision_type": "account_suspended", "statement_reference": "SOR-TYPED-1"},
    ).content.decode()
    assert "Enter the day the person was informed of the decision." in page
    assert 'value="SOR-TYPED-1"' in page and not case.decisions.exists()
    client.post(
        base + "decisions/",
        {"decision_type": "account_suspended", "informed_on": timezone.localdate().isoformat()},
    )
    decision = case.decisions.get()
    # A document the service refuses (the account ticked, not written): the texts come back
    # in that remedy's form, open.
    response = client.post(
        base + "prepare/",
        {
            "decision": str(decision.pk),
            "code": "art20_complaint",
            "language": "de",
            "facts": "Die Fakten, sorgfältig geschrieben.",
            "include_account": "1",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200 and not RemedyStep.objects.exists()
    assert "Write the person&#x27;s account" in page
    assert "Die Fakten, sorgfältig geschrieben.</textarea>" in page
    assert f'id="texts-art20_complaint-{decision.pk}" open' in page
    assert '<option value="de" selected>' in page
    # Another case's decision is not found from this case.
    other = case_with(people, country="DE")
    assert (
        client.post(
            f"/o/defenders/cases/{other.pk}/remedies/prepare/",
            {"decision": str(decision.pk), "code": "art20_complaint", "language": "en"},
        ).status_code
        == 404
    )
    response = client.post(
        base + "prepare/",
        {"decision": str(decision.pk), "code": "art20_complaint", "language": "en"},
    )
    step = RemedyStep.objects.get()
    assert response["Location"] == f"/o/defenders/remedies/{step.pk}/"
    # Filing on a day in the future is refused; the reference typed stays. (Two days ahead:
    # at 23:30 UTC, tomorrow in UTC is already today in Berlin, the person's member state.)
    tomorrow = timezone.localdate() + timedelta(days=2)
    page = client.post(
        f"/o/defenders/remedies/{step.pk}/file/",
        {"filed_on": tomorrow.isoformat(), "reference": "REF-TYPED-9"},
    ).content.decode()
    assert "cannot be in the future" in page and 'value="REF-TYPED-9"' in page
    step.refresh_from_db()
    assert step.status == "prepared"
    assert signed_in(people.vera).post(f"/o/defenders/remedies/{step.pk}/file/").status_code == 404
