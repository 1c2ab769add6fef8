"""Escalation and remedy clocks in the case list's "Next due" and "Overdue" and on the case
page, each deadline counted in its own time zone."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import time_machine
from django.utils import timezone

from amparo.cases import clocks
from amparo.cases.models import Case
from amparo.cases.services import add_task
from amparo.escalations import services as escalations
from amparo.remedies import services as remedies
from tests.escalations.lifecycle_helpers import manual_escalation, sent
from tests.escalations.test_escalations import case_with


def overdue_refs(client) -> str:
    return client.get("/o/defenders/cases/", {"view": "overdue"}).content.decode()


def test_a_sent_escalation_puts_its_answer_in_next_due_and_the_answer_takes_it_out(
    people, signed_in
):
    escalation = sent(people, manual_escalation(people))
    case = Case.objects.get(pk=escalation.case_id)
    assert case.next_due_at == escalation.expected_response_at
    listing = signed_in(people.carlos).get("/o/defenders/cases/").content.decode()
    assert f"{timezone.localtime(escalation.expected_response_at):%Y-%m-%d %H:%M}" in listing
    # A task added later, due after the answer, does not hide the escalation's clock.
    add_task(case, "call back", due_at=timezone.now() + timedelta(days=30), actor=people.carlos)
    assert Case.objects.get(pk=case.pk).next_due_at == escalation.expected_response_at
    escalations.record_response(escalation, actor=people.carlos)
    assert Case.objects.get(pk=case.pk).next_due_at > escalation.expected_response_at  # the task


def test_an_unanswered_escalation_makes_the_case_overdue(people, signed_in):
    escalation = sent(people, manual_escalation(people))
    assert escalation.case.reference not in overdue_refs(signed_in(people.carlos))
    with time_machine.travel(escalation.expected_response_at + timedelta(minutes=1)):
        client = signed_in(people.carlos)  # a session of that day
        assert escalation.case.reference in overdue_refs(client)
        page = client.get(f"/o/defenders/cases/{escalation.case_id}/").content.decode()
        assert "Answer from the platform" in page and "overdue" in page


def _remedy_case(people, country: str):
    case = case_with(people, country=country)
    decision = remedies.record_decision(
        case,
        decision_type="account_suspended",
        informed_on=date(2030, 1, 10),
        decided_on=None,
        represented=False,
        actor=people.carlos,
    )
    step = remedies.prepare_step(
        decision,
        "art20_complaint",
        language="en",
        facts="",
        arguments="",
        requested="",
        include_identity=False,
        actor=people.carlos,
    )
    return case, step


def test_a_filing_deadline_ends_at_midnight_in_the_persons_member_state(people, signed_in):
    with time_machine.travel(datetime(2030, 1, 15, 9, 0, tzinfo=UTC), tick=False):
        berlin, step_de = _remedy_case(people, "DE")
        lisbon, step_pt = _remedy_case(people, "PT")
    assert step_de.filing_deadline == step_pt.filing_deadline == date(2030, 7, 10)
    # Summer time: 23:59:59 in Berlin is 21:59:59 UTC; in Lisbon 22:59:59 UTC.
    assert Case.objects.get(pk=berlin.pk).next_due_at == datetime(
        2030, 7, 10, 21, 59, 59, tzinfo=UTC
    )
    assert Case.objects.get(pk=lisbon.pk).next_due_at == datetime(
        2030, 7, 10, 22, 59, 59, tzinfo=UTC
    )
    with time_machine.travel(datetime(2030, 7, 10, 22, 30, tzinfo=UTC), tick=False):
        client = signed_in(people.carlos)
        listed = overdue_refs(client)
        assert berlin.reference in listed  # already 11 July in Berlin
        assert lisbon.reference not in listed  # still 10 July in Lisbon
        [clock] = clocks.clocks_of(Case.objects.get(pk=lisbon.pk))
        assert clock.kind == clocks.FILING and clock.zone == "Europe/Lisbon"
        assert clock.days_left == 0 and not clock.overdue
        page = client.get(f"/o/defenders/cases/{lisbon.pk}/").content.decode()
        assert "2030-07-10 (Europe/Lisbon)" in page


def test_a_filed_step_runs_its_decision_clock_and_the_outcome_stops_it(people):
    with time_machine.travel(datetime(2030, 1, 15, 9, 0, tzinfo=UTC), tick=False):
        case, step = _remedy_case(people, "DE")
        remedies.file_step(step, filed_on=date(2030, 1, 15), reference="", actor=people.carlos)
    step.refresh_from_db()
    assert step.decision_due is not None
    due = Case.objects.get(pk=case.pk).next_due_at
    assert due == clocks.day_ends_at(step.decision_due, clocks.zone_for(case))
    with time_machine.travel(datetime(2030, 1, 20, 9, 0, tzinfo=UTC), tick=False):
        remedies.record_outcome(
            step, outcome="upheld", decided_on=date(2030, 1, 20), actor=people.carlos
        )
    assert Case.objects.get(pk=case.pk).next_due_at is None


def test_a_case_outside_the_eu_counts_in_the_deployments_zone(people, settings):
    settings.TIME_ZONE = "America/Mexico_City"
    case = case_with(people, country="MX")
    assert clocks.zone_for(case).key == "America/Mexico_City"
    assert clocks.day_ends_at(date(2030, 7, 10), clocks.zone_for(case)) == datetime(
        2030, 7, 11, 5, 59, 59, tzinfo=UTC
    )
