"""Remedy steps as a state machine: prepared, filed, decided, or lapsed or withdrawn — days
counted in the person's member state, and the step page offering only what its state allows."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError

from amparo.audit.models import AuditEvent
from amparo.cases.models import Case
from amparo.remedies import services, states
from amparo.remedies.models import RemedyStep
from tests.escalations.test_escalations import case_with

START = datetime(2030, 1, 15, 9, 0, tzinfo=UTC)


def prepared(people, country: str = "DE") -> RemedyStep:
    case = case_with(people, country=country)
    decision = services.record_decision(
        case,
        decision_type="account_suspended",
        informed_on=date(2030, 1, 10),
        decided_on=None,
        represented=False,
        actor=people.carlos,
    )
    return services.prepare_step(
        decision,
        "art20_complaint",
        language="en",
        facts="",
        arguments="",
        requested="",
        include_identity=False,
        actor=people.carlos,
    )


def test_the_machine_is_data_and_the_final_states_go_nowhere():
    assert set(states.TRANSITIONS) >= set(RemedyStep.Status.values)
    for action, (source, to) in states.ACTIONS.items():
        assert to in states.allowed(source), action
    for final in (states.DECIDED, states.LAPSED, states.CANCELLED):
        assert states.allowed(final) == frozenset() and states.actions_for(final) == frozenset()


def test_no_outcome_for_a_step_never_filed_and_no_filing_twice(people):
    with time_machine.travel(START, tick=False):
        step = prepared(people)
        with pytest.raises(ValidationError, match="filed"):
            services.record_outcome(
                step, outcome="upheld", decided_on=date(2030, 1, 15), actor=people.carlos
            )
        services.file_step(step, filed_on=date(2030, 1, 15), reference="R", actor=people.carlos)
        with pytest.raises(ValidationError, match="Only a prepared step"):
            services.file_step(step, filed_on=date(2030, 1, 15), reference="", actor=people.carlos)
        stale = RemedyStep.objects.get(pk=step.pk)
        services.record_outcome(
            step, outcome="rejected", decided_on=date(2030, 1, 15), actor=people.carlos
        )
        with pytest.raises(ValidationError):
            services.record_outcome(
                stale, outcome="upheld", decided_on=date(2030, 1, 15), actor=people.carlos
            )
    step.refresh_from_db()
    assert step.status == "decided" and step.outcome == "rejected"
    assert AuditEvent.objects.filter(action="remedy.decided").count() == 1


def test_days_typed_are_checked_against_today_and_each_other(people):
    with time_machine.travel(START, tick=False):
        step = prepared(people)
        with pytest.raises(ValidationError, match="future"):
            services.file_step(step, filed_on=date(2030, 1, 17), reference="", actor=people.carlos)
        with pytest.raises(ValidationError, match="before the document"):
            services.file_step(step, filed_on=date(2030, 1, 13), reference="", actor=people.carlos)
        services.file_step(step, filed_on=date(2030, 1, 15), reference="", actor=people.carlos)
    with time_machine.travel(datetime(2030, 2, 1, 9, 0, tzinfo=UTC), tick=False):
        with pytest.raises(ValidationError, match="before the step was filed"):
            services.record_outcome(
                step, outcome="upheld", decided_on=date(2030, 1, 14), actor=people.carlos
            )
        with pytest.raises(ValidationError, match="future"):
            services.record_outcome(
                step, outcome="upheld", decided_on=date(2030, 2, 3), actor=people.carlos
            )
    assert RemedyStep.objects.get().status == "filed"


def test_a_withdrawn_step_stops_its_clock_and_can_no_longer_be_filed(people):
    with time_machine.travel(START, tick=False):
        step = prepared(people)
        case = step.decision.case
        assert Case.objects.get(pk=case.pk).next_due_at is not None
        services.cancel_step(step, actor=people.carlos)
        assert Case.objects.get(pk=case.pk).next_due_at is None
        with pytest.raises(ValidationError):
            services.file_step(step, filed_on=date(2030, 1, 15), reference="", actor=people.carlos)
    assert RemedyStep.objects.get().status == states.CANCELLED
    assert AuditEvent.objects.filter(action="remedy.cancelled").count() == 1


def test_a_window_lapses_only_once_its_last_day_ended_in_the_member_state(people):
    with time_machine.travel(START, tick=False):
        berlin, lisbon = prepared(people, "DE"), prepared(people, "PT")
    assert berlin.filing_deadline == lisbon.filing_deadline == date(2030, 7, 10)
    with time_machine.travel(datetime(2030, 7, 10, 21, 30, tzinfo=UTC), tick=False):
        with pytest.raises(ValidationError, match="not closed yet"):
            services.lapse_step(berlin, actor=people.carlos)  # 23:30 in Berlin, 10 July
    # 22:30 UTC: 00:30 on 11 July in Berlin, 23:30 on 10 July in Lisbon.
    with time_machine.travel(datetime(2030, 7, 10, 22, 30, tzinfo=UTC), tick=False):
        services.lapse_step(berlin, actor=people.carlos)
        with pytest.raises(ValidationError, match="not closed yet"):
            services.lapse_step(lisbon, actor=people.carlos)
    assert RemedyStep.objects.get(pk=berlin.pk).status == "lapsed"
    assert RemedyStep.objects.get(pk=lisbon.pk).status == "prepared"


def test_the_step_page_offers_only_what_the_state_allows(people, signed_in):
    from django.utils import timezone

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
        language="en",
        facts="",
        arguments="",
        requested="",
        include_identity=False,
        actor=people.carlos,
    )
    client = signed_in(people.carlos)
    url = f"/o/defenders/remedies/{step.pk}/"
    page = client.get(url).content.decode()
    assert "Record as filed" in page and "Withdraw" in page and "Record the outcome" not in page
    forged = client.post(
        url + "outcome/",
        {"outcome": "upheld", "decided_on": timezone.localdate().isoformat()},
    )
    assert forged.status_code == 200 and "only for a step that was filed" in forged.content.decode()
    assert client.post(url + "withdraw/").status_code == 302
    page = client.get(url).content.decode()
    assert "Withdrawn before filing" in page and "Record as filed" not in page
    assert signed_in(people.vera).post(url + "withdraw/").status_code == 404


def test_the_step_page_shows_the_statement_recorded_on_the_escalation(people, signed_in):
    from django.utils import timezone

    from amparo.escalations import services as escalations
    from tests.escalations.lifecycle_helpers import manual_escalation, sent

    escalation = sent(people, manual_escalation(people, country="DE"))
    escalations.record_response(
        escalation,
        actor=people.carlos,
        text="Your account was suspended. This decision was made by automated means.",
        decision_reference="META-DEC-42",
    )
    decision = services.record_decision(
        escalation.case,
        decision_type="account_suspended",
        informed_on=timezone.localdate(),
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
    page = signed_in(people.carlos).get(f"/o/defenders/remedies/{step.pk}/").content.decode()
    assert "META-DEC-42" in page and "account suspended" in page
    assert "DECISION_ACCOUNT_SUSPENDED" not in page  # the code in words


def test_an_art20_complaint_filed_after_six_months_is_recorded_with_a_warning(people, signed_in):
    """DSA Art 20(1): six months is the least the platform must allow, not a bar."""
    with time_machine.travel(START, tick=False):
        step = prepared(people)
    assert step.filing_deadline == date(2030, 7, 10)
    with time_machine.travel(datetime(2030, 7, 20, 9, 0, tzinfo=UTC), tick=False):
        page = signed_in(people.carlos).get(f"/o/defenders/remedies/{step.pk}/")
        text = page.content.decode()
        assert "The window closed on" in text and "may still accept" in text
        assert 'max="2030-07-10"' not in text  # the form lets a later day be typed
        services.file_step(step, filed_on=date(2030, 7, 20), reference="", actor=people.carlos)
    assert RemedyStep.objects.get().status == "filed"
    event = AuditEvent.objects.get(action="remedy.filed")
    assert event.new["after_window"] is True
