"""Remedy documents wholly in their language, signed by the organisation; the person's account
only when chosen; the Art 21 body the person chose; the Art 53 coordinator from the register;
a decision pre-filled from an escalation's statement of reasons; deadlines in their own zone."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format

from amparo.accounts import identity
from amparo.engines.remedies import art20_filing_deadline
from amparo.escalations import services as escalations
from amparo.escalations.models import Escalation
from amparo.remedies import routes, services
from amparo.remedies.models import PlatformDecision
from tests.escalations.test_escalations import case_with

NARRATIVE = "NARRATIVECANARY they took my page down after the election broadcast."


def signed_identity(people, **changes):
    identity.update_identity(
        people.org,
        {
            "legal_name": "Defenders Helpline e.V.",
            "registration_country": "DE",
            "postal_address": "Musterstraße 1\n10115 Berlin",
            "notice_email": "dsa@defenders.example",
            **changes,
        },
        actor=people.alice,
    )
    people.org.refresh_from_db()


def decided(case, people, **changes):
    values = dict(
        decision_type="account_suspended",
        informed_on=timezone.localdate(),
        decided_on=None,
        represented=False,
        actor=people.carlos,
    )
    values.update(changes)
    return services.record_decision(case, **values)


def prepare(decision, people, code="art20_complaint", language="en", **changes):
    values = dict(
        language=language,
        facts="",
        arguments="",
        requested="",
        include_identity=False,
        actor=people.carlos,
    )
    values.update(changes)
    return services.prepare_step(decision, code, **values)


@pytest.mark.parametrize(
    ("language", "label", "ground"),
    [
        ("fr", "Suspension du compte", "incompatibles avec les conditions générales"),
        ("de", "Aussetzung des Kontos", "mit den allgemeinen Geschäftsbedingungen unvereinbar"),
        ("pl", "Zawieszenie konta", "niezgodne z warunkami korzystania z usługi"),
    ],
)
def test_a_complaint_is_wholly_in_its_language_and_signed_by_the_organisation(
    people, language, label, ground
):
    signed_identity(people)
    case = case_with(people, country="DE", narrative=NARRATIVE)
    decision = decided(case, people, decision_ground="incompatible_content")
    text = prepare(decision, people, language=language).document_text
    assert label in text and ground in text
    assert "account suspended" not in text and "account_suspended" not in text
    assert "incompatible_content" not in text
    body = text.replace("https://www.facebook.com/photo/?fbid=123456789", "")
    assert "Facebook" in body and not re.search(r"\bfacebook\b", body)  # a name, not a slug
    assert "Defenders Helpline e.V." in text and "dsa@defenders.example" in text
    assert "Musterstraße 1" in text and "localhost" not in text
    assert "NARRATIVECANARY" not in text  # the report's narrative never goes in by itself


def test_the_persons_account_goes_in_only_when_chosen_and_as_the_caseworkers_text(people):
    signed_identity(people)
    case = case_with(people, country="DE", narrative=NARRATIVE)
    decision = decided(case, people)
    with pytest.raises(ValidationError, match="translated or summarised"):
        prepare(decision, people, include_account=True, account="  ")
    unticked = prepare(decision, people, account="Ignored unless ticked.")
    assert "Ignored unless ticked." not in unticked.document_text
    assert "account" not in unticked.document_contents
    step = prepare(
        decision,
        people,
        language="es",
        include_account=True,
        account="La periodista publicó una investigación y su página fue suspendida.",
    )
    assert "Relato de los hechos de la persona afectada, resumido por Defenders" in (
        step.document_text
    )
    assert "La periodista publicó una investigación" in step.document_text
    assert "account" in step.document_contents and "NARRATIVECANARY" not in step.document_text


def test_the_person_chooses_the_art21_body_among_those_that_take_the_dispute(people):
    signed_identity(people)
    case = case_with(people, country="DE", platform="instagram")
    decision = decided(case, people, decision_type="content_removed")
    assert len(routes.ods_bodies(decision)) >= 3
    unnamed = prepare(decision, people, code="art21_ods")
    assert "The certified out-of-court dispute settlement body" in unnamed.document_text
    assert unnamed.ods_body == ""
    chosen = prepare(decision, people, code="art21_ods", language="de", ods_body="ods.user-rights")
    assert chosen.ods_body == "ods.user-rights"
    assert "User Rights, zertifizierte außergerichtliche Streitbeilegungsstelle" in (
        chosen.document_text
    )
    assert "Eingang der Beschwerde" in chosen.document_text
    assert "vollständigen" not in chosen.document_text  # Art 21(4): "receipt of the complaint"
    with pytest.raises(ValidationError, match="does not take this dispute"):
        # Appeals Centre Europe works in English only, as far as the register knows.
        prepare(
            decision, people, code="art21_ods", language="de", ods_body="ods.appeals-centre-europe"
        )
    with pytest.raises(ValidationError, match="does not take this dispute"):
        prepare(decision, people, ods_body="ods.user-rights")  # not an Art 21 step


def test_the_art53_complaint_names_the_coordinator_of_whoever_complains(people):
    signed_identity(people)
    person_in_france = case_with(people, country="FR")
    text = prepare(
        decided(person_in_france, people), people, code="art53_dsc_complaint"
    ).document_text
    assert "Regulatory Authority for Audiovisual and Digital Communication (Arcom)" in text
    assert "France" in text
    # A Mexican HRD's rejected notice: the organisation complains to its own coordinator.
    mexican = case_with(people, country="MX")
    notice = decided(mexican, people, decision_type="no_action", acting_as="notifier")
    codes = {r.code.value: r for r in services.open_remedies(notice)}
    assert {"art20_complaint", "art21_ods", "art53_dsc_complaint"} <= set(codes)
    assert codes["art53_dsc_complaint"].member_state == "DE"
    text = prepare(notice, people, code="art53_dsc_complaint", language="de").document_text
    assert "Bundesnetzagentur" in text and "Deutschland" in text


def test_an_art16_notice_needs_the_role_address_and_the_explanation(people):
    case = case_with(people, country="MX", incident_type="threats_of_violence")
    decision = decided(case, people, decision_type="content_online", acting_as="notifier")
    # An organisation not established in the EU offers no notice for a person outside it.
    assert "art16_notice" not in {r.code.value for r in services.open_remedies(decision)}
    signed_identity(people, notice_email="")  # established in DE, but no role address
    decision = PlatformDecision.objects.select_related("case__organisation").get(pk=decision.pk)
    assert "art16_notice" in {r.code.value for r in services.open_remedies(decision)}
    with pytest.raises(ValidationError, match="role address"):
        prepare(decision, people, code="art16_notice", facts="x", arguments="y")
    signed_identity(people)
    decision = PlatformDecision.objects.select_related("case__organisation").get(pk=decision.pk)
    with pytest.raises(ValidationError, match=r"Art 16\(2\)\(a\)"):
        prepare(decision, people, code="art16_notice", facts="Only facts.")
    step = prepare(
        decision,
        people,
        code="art16_notice",
        language="it",
        facts="Il post minaccia di morte la giornalista.",
        arguments="art. 612 Codice penale (minaccia)",
        requested_action="remove",
    )
    text = step.document_text
    assert "Rimozione delle informazioni" in text and "Fondamento giuridico: art. 612" in text
    assert "dsa@defenders.example" in text.split("c) Nome e indirizzo e-mail del segnalante")[1]


def _responded(people, case, **statement):
    escalation = escalations.create(case, "facebook.in_app_appeal", actor=people.carlos)
    Escalation.objects.filter(pk=escalation.pk).update(
        status="responded",
        first_response_at=timezone.now(),
        response_received_on=date(2026, 11, 30),
        decision_reference="SOR-2026-7781",
        statement=statement,
    )
    return escalation


@time_machine.travel(datetime(2026, 12, 4, 10, 0, tzinfo=UTC), tick=False)
def test_the_decision_is_prefilled_from_the_escalations_statement_and_linked(people, signed_in):
    signed_identity(people)
    case = case_with(people, country="DE")
    escalation = _responded(
        people,
        case,
        decision_account="DECISION_ACCOUNT_SUSPENDED",
        decision_ground="DECISION_GROUND_INCOMPATIBLE_CONTENT",
        application_date="2026-11-28",
    )
    client = signed_in(people.carlos)
    page = client.get(f"/o/defenders/cases/{case.pk}/remedies/").content.decode()
    assert 'id="prefilled"' in page
    assert f'name="escalation" value="{escalation.pk}"' in page
    assert '<option value="account_suspended" selected>' in page
    assert '<option value="incompatible_content" selected>' in page
    assert 'value="2026-11-30"' in page and 'value="2026-11-28"' in page
    assert 'value="SOR-2026-7781"' in page
    client.post(
        f"/o/defenders/cases/{case.pk}/remedies/decisions/",
        {
            "escalation": str(escalation.pk),
            "decision_type": "account_suspended",
            "acting_as": "affected_user",
            "decision_ground": "incompatible_content",
            "informed_on": "2026-11-30",
            "decided_on": "2026-11-28",
            "statement_reference": "SOR-2026-7781",
        },
    )
    decision = PlatformDecision.objects.get()
    assert decision.source_escalation_id == escalation.pk
    assert decision.statement_reference == "SOR-2026-7781"
    assert (
        'id="prefilled"'
        not in client.get(f"/o/defenders/cases/{case.pk}/remedies/").content.decode()
    )
    text = prepare(decision, people).document_text
    assert "SOR-2026-7781" in text and "Suspension of the account" in text
    assert "28 November 2026" in text


def test_an_escalation_of_another_case_cannot_be_linked(people):
    case, other = case_with(people, country="DE"), case_with(people, country="DE")
    escalation = _responded(people, other)
    with pytest.raises(ValidationError, match="another case"):
        decided(case, people, source_escalation=escalation)


def test_an_expired_window_says_so_and_that_the_platform_may_still_accept(people, signed_in):
    case = case_with(people, country="DE")
    informed = timezone.localdate() - timedelta(days=200)
    decided(case, people, informed_on=informed)
    page = signed_in(people.carlos).get(f"/o/defenders/cases/{case.pk}/remedies/").content.decode()
    row = page.split('id="remedy-art20_complaint-')[1].split("</tr>")[0]
    closed = date_format(art20_filing_deadline(informed))
    assert f"The window closed on {closed}." in row and "may still accept" in row
    assert "Europe/Berlin" in row and "days left" not in row


@time_machine.travel(datetime(2026, 2, 28, 23, 30, tzinfo=UTC), tick=False)
def test_days_left_are_counted_in_the_deadlines_zone(people):
    # 23:30 UTC on 28 February is already 1 March in Athens: the window closed there.
    case = case_with(people, country="GR")
    decision = decided(case, people, informed_on=date(2025, 8, 28), decided_on=date(2025, 8, 28))
    art20 = next(r for r in services.open_remedies(decision) if r.code.value == "art20_complaint")
    assert art20.deadline == date(2026, 2, 28) and art20.time_zone == "Europe/Athens"
    status = routes.deadline(art20).status
    assert status.closed and status.days_left == -1 and status.minimum
    assert services.days_left(art20.deadline, art20.time_zone) == -1
    assert services.days_left(art20.deadline, "Europe/Lisbon") == 0
    step = prepare(decision, people)
    assert step.time_zone == "Europe/Athens"
