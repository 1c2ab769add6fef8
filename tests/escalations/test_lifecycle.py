"""The escalation state machine through its services: claim before send, the case following,
edit and re-approval, cancel and close, the answer's received-on day and the statement parsed
once."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from amparo.audit.models import AuditEvent
from amparo.cases.models import Case
from amparo.core.models import OutboundMessage
from amparo.escalations import services, states
from amparo.escalations.models import Escalation, Status
from tests.escalations.lifecycle_helpers import (
    email_escalation,
    manual_escalation,
    personal_escalation,
    sent,
)
from tests.escalations.test_escalations import case_with
from tests.test_outbound import run_due


def audit_count(action: str) -> int:
    return AuditEvent.objects.filter(action=action).count()


# ------------------------------------------------------------------------- the machine as data


def test_every_status_has_its_moves_and_the_final_ones_have_none():
    assert set(states.TRANSITIONS) == set(Status.values)
    for targets in states.TRANSITIONS.values():
        assert targets <= set(Status.values)
    assert states.allowed(Status.CLOSED) == states.allowed(Status.CANCELLED) == frozenset()
    assert states.actions_for(Status.CLOSED) == states.actions_for(Status.CANCELLED) == frozenset()
    for action, sources in states.ACTIONS.items():
        for status in set(Status.values) - sources:
            with pytest.raises(ValidationError):
                states.check(status, action)
    with pytest.raises(ValidationError, match="cannot go from"):
        states.check(Status.READY, "send", Status.RESPONDED)


# ------------------------------------------------------------------------------- claim and send


def test_a_second_send_of_an_email_escalation_is_refused_and_queues_nothing(people):
    escalation = email_escalation(people)
    services.send(escalation, actor=people.carlos)
    with pytest.raises(ValidationError, match="already queued"):
        services.send(escalation, actor=people.alice)
    assert OutboundMessage.objects.filter(kind="escalation").count() == 1
    assert audit_count("escalation.queued") == 1
    escalation.refresh_from_db()
    assert escalation.status == Status.READY and escalation.send_claimed_by == people.carlos


def test_a_second_send_by_hand_form_is_refused_and_sends_once(people):
    escalation = sent(people, manual_escalation(people))
    with pytest.raises(ValidationError, match="ready"):
        services.send(escalation, actor=people.alice, external_reference="REF-2")
    assert audit_count("escalation.sent") == 1
    assert Escalation.objects.get().external_reference == "REF-1"


def test_an_email_the_worker_gave_up_on_can_be_sent_again(people):
    escalation = email_escalation(people)
    services.send(escalation, actor=people.carlos)
    first = OutboundMessage.objects.get(kind="escalation")
    OutboundMessage.objects.filter(pk=first.pk).update(status=OutboundMessage.Status.FAILED)
    services.send(escalation, actor=people.carlos)  # "Send again" takes the claim anew
    assert OutboundMessage.objects.filter(kind="escalation").count() == 2
    with pytest.raises(ValidationError, match="already queued"):
        services.send(escalation, actor=people.carlos)


def test_a_stale_object_cannot_change_what_someone_else_changed(people):
    from amparo.escalations.events import advance

    escalation = manual_escalation(people)
    stale = Escalation.objects.get(pk=escalation.pk)
    services.cancel(escalation, actor=people.carlos)
    with pytest.raises(ValidationError, match="changed a moment ago"):
        advance(stale, "send", send_claimed_at=timezone.now())
    assert Escalation.objects.get().status == Status.CANCELLED


def test_nothing_is_sent_about_a_closed_case(people):
    from amparo.cases.services import transition_case

    escalation = manual_escalation(people)
    transition_case(escalation.case, "closed", actor=people.carlos, outcome="withdrawn")
    with pytest.raises(ValidationError, match="reopen"):
        services.send(escalation, actor=people.carlos, external_reference="R")
    assert Escalation.objects.get().status == Status.READY


# ------------------------------------------------------------------------- the case follows


def test_sending_moves_the_case_to_awaiting_and_the_last_answer_moves_it_back(people):
    case = case_with(people)
    first = sent(people, manual_escalation(people, case=case))
    case.refresh_from_db()
    assert case.status == "awaiting_platform"
    second = sent(people, manual_escalation(people, case=case))
    assert Case.objects.get(pk=case.pk).status == "awaiting_platform"
    services.record_response(first, actor=people.carlos, outcome="not_actioned")
    assert Case.objects.get(pk=case.pk).status == "awaiting_platform"  # the second is still out
    services.close(second, actor=people.carlos)
    assert Case.objects.get(pk=case.pk).status == "in_progress"
    second.refresh_from_db()
    assert second.status == Status.CLOSED and second.outcome == "no_response"
    moves = AuditEvent.objects.filter(action="case.transitioned", object_id=str(case.pk))
    assert [e.new["status"] for e in moves.order_by("seq")] == ["awaiting_platform", "in_progress"]


def test_the_worker_delivering_the_email_moves_the_case_with_no_person_acting(people):
    escalation = email_escalation(people)
    services.send(escalation, actor=people.carlos)
    assert Case.objects.get(pk=escalation.case_id).status == "new"  # queued, not sent yet
    assert run_due() == 1
    escalation.refresh_from_db()
    assert escalation.status == Status.SENT and escalation.expected_response_at
    case = Case.objects.get(pk=escalation.case_id)
    assert (
        case.status == "awaiting_platform" and case.next_due_at == escalation.expected_response_at
    )
    move = AuditEvent.objects.get(action="case.transitioned", object_id=str(case.pk))
    assert move.actor_id is None and move.new["status"] == "awaiting_platform"


def test_marking_sent_by_hand_moves_the_case_too(people):
    escalation = email_escalation(people)
    services.mark_sent_by_hand(escalation, actor=people.carlos, sent_on=timezone.localdate())
    assert Case.objects.get(pk=escalation.case_id).status == "awaiting_platform"


def test_a_resolved_case_stays_resolved_when_the_answer_comes(people):
    from amparo.cases.services import transition_case

    escalation = sent(people, manual_escalation(people))
    transition_case(escalation.case, "resolved", actor=people.carlos, outcome="no_action")
    services.record_response(escalation, actor=people.carlos)
    assert Case.objects.get(pk=escalation.case_id).status == "resolved"


# --------------------------------------------------------------------------- edit and approve


def test_an_approved_package_that_changes_needs_approval_again(people):
    from amparo.cases.services import link_report
    from tests.cases.conftest import new_report

    escalation = personal_escalation(people)
    assert escalation.status == Status.AWAITING_APPROVAL
    services.approve(escalation, actor=people.alice)
    assert escalation.status == Status.READY and escalation.approved_by == people.alice
    # Unchanged: the approval stands, nothing is written.
    before = audit_count("escalation.edited")
    services.edit(escalation, actor=people.carlos, disclose_identity=True)
    assert escalation.status == Status.READY and audit_count("escalation.edited") == before
    # A second report joins the case: the rebuilt package differs, so it waits again.
    link_report(
        escalation.case,
        new_report(people.org, consent_share_identity="yes", narrative="A second account."),
        actor=people.carlos,
    )
    services.edit(escalation, actor=people.adam, disclose_identity=True)
    escalation.refresh_from_db()
    assert escalation.status == Status.AWAITING_APPROVAL and escalation.approved_by is None
    assert "A second account." in str(escalation.package)
    with pytest.raises(ValidationError, match="second person"):
        services.approve(escalation, actor=people.adam)  # the editor is not a second person
    services.approve(escalation, actor=people.alice)
    assert escalation.status == Status.READY


def test_withdrawing_the_identity_makes_the_package_plain_and_ready(people):
    escalation = personal_escalation(people)
    services.edit(escalation, actor=people.carlos, disclose_identity=False)
    escalation.refresh_from_db()
    assert escalation.status == Status.READY and not escalation.carries_personal_data
    assert "affected_user_identity" not in escalation.package


def test_create_and_edit_forward_the_notice_to_the_package_builder(people, monkeypatch):
    from amparo.escalations import packaging

    real = packaging.build
    seen = []

    def build(case, channel, reports, *, disclose_identity, notice=None, asked_and_confirmed=False):
        seen.append((dict(notice or {}), asked_and_confirmed))
        package = real(case, channel, reports, disclose_identity=disclose_identity)
        if notice and notice.get("explanation"):
            package.fields["explanation"] = notice["explanation"]
        return package

    monkeypatch.setattr(packaging, "build", build)
    case = case_with(people, consent="yes")
    escalation = personal_escalation(people, case=case)
    seen.clear()
    escalation = services.create(
        case,
        escalation.channel_code,
        actor=people.carlos,
        disclose_identity=True,
        notice={"explanation": "First wording", "legal_ground": " "},
    )
    assert seen == [({"explanation": "First wording"}, False)]
    services.approve(escalation, actor=people.alice)
    services.edit(
        escalation,
        actor=people.carlos,
        notice={"explanation": "Second wording"},
        disclose_identity=True,
        asked_and_confirmed=True,
    )
    assert seen[-1] == ({"explanation": "Second wording"}, True)
    escalation.refresh_from_db()
    assert escalation.status == Status.AWAITING_APPROVAL
    assert escalation.package["explanation"] == "Second wording"
    assert escalation.notice == {"explanation": "Second wording"}


def test_a_queued_package_cannot_be_edited_but_can_be_cancelled(people):
    escalation = email_escalation(people)
    services.send(escalation, actor=people.carlos)
    with pytest.raises(ValidationError, match="queued"):
        services.edit(escalation, actor=people.carlos, notice={"explanation": "x"})
    services.cancel(escalation, actor=people.carlos)
    assert OutboundMessage.objects.get(kind="escalation").status == "cancelled"
    assert run_due() == 0  # nothing leaves
    escalation.refresh_from_db()
    assert escalation.status == Status.CANCELLED and escalation.closed_at
    for act in (
        lambda: services.send(escalation, actor=people.carlos),
        lambda: services.edit(escalation, actor=people.carlos),
        lambda: services.approve(escalation, actor=people.alice),
        lambda: services.close(escalation, actor=people.carlos),
        lambda: services.record_response(escalation, actor=people.carlos),
    ):
        with pytest.raises(ValidationError):
            act()


def test_a_sent_escalation_cannot_be_cancelled_only_closed(people):
    escalation = sent(people, manual_escalation(people))
    with pytest.raises(ValidationError, match="close"):
        services.cancel(escalation, actor=people.carlos)
    services.close(escalation, actor=people.carlos, outcome="not_actioned")
    assert Escalation.objects.get().outcome == "not_actioned"


def test_the_approvers_are_told_and_shift_leads_first(people):
    from amparo.accounts.models import Membership
    from amparo.intake.models import Notification

    personal_escalation(people)
    told = set(Notification.objects.values_list("recipient__email", flat=True))
    assert told == {people.alice.email, people.adam.email}  # not Carlos, who prepared it
    assert Notification.objects.filter(kind="escalation_needs_approval").count() == 2
    Notification.objects.all().delete()
    Membership.objects.filter(user=people.adam).update(is_shift_lead=True)
    personal_escalation(people)
    assert list(Notification.objects.values_list("recipient", flat=True)) == [people.adam.pk]
    assert OutboundMessage.objects.filter(kind="reminder").exists()  # and by e-mail


# ------------------------------------------------------------------------------ the answer


def test_the_answer_counts_from_the_day_it_arrived_and_the_scorecard_shows_it(people):
    from amparo.escalations.scorecard import scorecard

    with time_machine.travel(datetime(2030, 3, 4, 9, 0, tzinfo=UTC), tick=False) as clock:
        escalation = sent(people, manual_escalation(people))
        clock.move_to(datetime(2030, 3, 8, 16, 0, tzinfo=UTC))  # typed in four days later
        with pytest.raises(ValidationError, match="future"):
            services.record_response(escalation, actor=people.carlos, received_on=date(2030, 3, 9))
        with pytest.raises(ValidationError, match="before the escalation was sent"):
            services.record_response(escalation, actor=people.carlos, received_on=date(2030, 3, 3))
        services.record_response(
            escalation, actor=people.carlos, received_on=date(2030, 3, 5), outcome="reversed"
        )
    escalation.refresh_from_db()
    assert escalation.response_received_on == date(2030, 3, 5)
    assert escalation.first_response_at == datetime(2030, 3, 5, 12, 0, tzinfo=UTC)
    row = scorecard(people.org)[0]
    assert row["median_hours_to_first_response"] == 27.0 and row["share_within_72h"] == 1.0
    event = AuditEvent.objects.get(action="escalation.responded")
    assert event.new["received_on"] == "2030-03-05"


def test_an_answer_on_the_day_it_was_sent_never_counts_before_the_sending(people):
    with time_machine.travel(datetime(2030, 3, 4, 15, 0, tzinfo=UTC), tick=False) as clock:
        escalation = sent(people, manual_escalation(people))
        clock.move_to(datetime(2030, 3, 6, 8, 0, tzinfo=UTC))
        services.record_response(escalation, actor=people.carlos, received_on=date(2030, 3, 4))
    escalation.refresh_from_db()
    assert escalation.first_response_at == escalation.sent_at


STATEMENT = (
    "We removed your post because it violates our Community Standards on Bullying and "
    "Harassment. This decision was made by automated means. Content ID: 9981234."
)


def test_the_statement_is_parsed_once_and_its_content_id_kept_encrypted(people, monkeypatch):
    from amparo.escalations import lifecycle

    escalation = sent(people, manual_escalation(people))
    calls = []
    real = lifecycle.parse_statement_codes
    monkeypatch.setattr(
        lifecycle, "parse_statement_codes", lambda text: calls.append(text) or real(text)
    )
    services.record_response(
        escalation, actor=people.carlos, text=STATEMENT, decision_reference=" FB-DEC-77 "
    )
    services.record_response(escalation, actor=people.carlos, text=STATEMENT, outcome="partial")
    assert len(calls) == 1
    escalation = Escalation.objects.get()
    assert escalation.statement and "platform_uid" not in escalation.statement
    assert escalation.content_id == "9981234" and escalation.decision_reference == "FB-DEC-77"
    found = services.statement_for_case(escalation.case)
    assert found["content_id"] == "9981234" and found["decision_reference"] == "FB-DEC-77"
    assert found["codes"] == escalation.statement
    assert escalation.first_response_at and escalation.outcome == "partial"
    assert "9981234" not in str(AuditEvent.objects.filter(action="escalation.responded").values())


def test_the_page_shows_the_statement_in_words_with_the_sentence_each_field_came_from(
    people, signed_in
):
    import re
    from html import unescape

    escalation = sent(people, manual_escalation(people))
    services.record_response(escalation, actor=people.carlos, text=STATEMENT)
    escalation = Escalation.objects.get()
    page = (
        signed_in(people.carlos)
        .get(f"/o/{people.org.slug}/escalations/{escalation.pk}/")
        .content.decode()
    )
    table = unescape(re.search(r'<table id="escalation-statement">(.*?)</table>', page, re.S)[1])
    assert "Restriction of the content" in table and "content removed" in table
    assert "Decided by automated means" in table
    assert "This decision was made by automated means." in table  # the sentence it came from
    assert "DECISION_" not in table and "{'" not in page and "'}" not in page
