"""Cases: a state machine enforced on the server, one audit event per change, fast lists."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from amparo.audit.models import AuditEvent
from amparo.cases import services, states
from amparo.cases.models import Case
from tests.cases.conftest import new_report


def test_opening_a_case_gathers_reports(people, case):
    assert case.status == "new" and case.reference.startswith("C-")
    assert case.report_links.count() == 1
    assert case.report_links.get().report.status == "in_progress"
    assert AuditEvent.objects.filter(action="case.opened", object_id=str(case.pk)).count() == 1


def test_legal_transitions_work_and_illegal_ones_are_refused(people, case):
    services.transition_case(case, "triaged", actor=people.carlos)
    services.transition_case(case, "in_progress", actor=people.carlos)
    with pytest.raises(ValidationError):
        services.transition_case(case, "new", actor=people.carlos)
    with pytest.raises(ValidationError, match="outcome"):
        services.transition_case(case, "resolved", actor=people.carlos)
    services.transition_case(case, "resolved", actor=people.carlos, outcome="account_restored")
    case.refresh_from_db()
    assert (case.status, case.outcome) == ("resolved", "account_restored")


def test_every_transition_writes_exactly_one_audit_event(people, case):
    before = AuditEvent.objects.filter(action="case.transitioned").count()
    services.transition_case(case, "in_progress", actor=people.carlos)
    services.transition_case(case, "escalated", actor=people.carlos)
    assert AuditEvent.objects.filter(action="case.transitioned").count() == before + 2
    event = AuditEvent.objects.filter(action="case.transitioned").last()
    assert (
        event.old == {"status": "in_progress", "outcome": ""} and event.new["status"] == "escalated"
    )


def test_viewers_and_outsiders_cannot_change_a_case(people, case):
    for person in (people.vera, people.otto, people.ines):
        with pytest.raises(PermissionDenied):
            services.transition_case(case, "triaged", actor=person)
    case.refresh_from_db()
    assert case.status == "new"


def test_notes_are_encrypted(people, case):
    note = services.add_note(
        case, "Called her lawyer; arrest warrant rumoured", actor=people.carlos
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT body FROM cases_note")
        assert b"arrest warrant" not in bytes(cursor.fetchone()[0])
    assert type(note).objects.get().body.startswith("Called her lawyer")


def test_bulk_actions_are_audited_like_single_ones(people):
    cases = [
        services.open_case(
            people.org, reports=[new_report(people.org)], title=f"c{i}", actor=people.carlos
        )
        for i in range(3)
    ]
    services.transition_case(cases[2], "closed", actor=people.carlos, outcome="advice_given")
    before = AuditEvent.objects.filter(action="case.transitioned").count()
    changed, refused = services.bulk_transition(cases, "triaged", actor=people.carlos)
    assert changed == 2 and refused == [cases[2].reference]
    assert AuditEvent.objects.filter(action="case.transitioned").count() == before + 2


def test_tasks_set_the_next_due_time(people, case):
    from datetime import timedelta

    from django.utils import timezone

    due = timezone.now() + timedelta(hours=4)
    task = services.add_task(case, "Chase the platform", due_at=due, actor=people.carlos)
    case.refresh_from_db()
    assert case.next_due_at == due
    services.complete_task(task, actor=people.carlos)
    case.refresh_from_db()
    assert case.next_due_at is None


@pytest.mark.parametrize("size", [25, 100])
def test_the_case_list_needs_the_same_queries_whatever_the_page_size(people, signed_in, size):
    for i in range(30):
        c = services.open_case(
            people.org, reports=[new_report(people.org)], title=f"case {i}", actor=people.carlos
        )
        services.set_tags(c, ["elections", f"t{i % 3}"], actor=people.carlos)
    client = signed_in(people.carlos)
    client.get("/o/defenders/cases/")  # warm caches
    with CaptureQueriesContext(connection) as small:
        assert client.get("/o/defenders/cases/?view=all&size=25").status_code == 200
    with CaptureQueriesContext(connection) as large:
        assert client.get(f"/o/defenders/cases/?view=all&size={size}").status_code == 200
    assert len(large) == len(small) <= 15


def test_the_case_page_shows_only_allowed_transitions(people, signed_in, case):
    page = signed_in(people.carlos).get(f"/o/defenders/cases/{case.pk}/").content.decode()
    for to in states.allowed("new"):
        assert f'name="to" value="{to}"' in page
    assert 'name="to" value="resolved"' not in page
    response = signed_in(people.carlos).post(
        f"/o/defenders/cases/{case.pk}/status/",
        {"to": "resolved", "outcome": "no_action"},
    )
    case.refresh_from_db()
    assert (
        case.status == "new" and response.status_code == 200
    )  # refused by the server, not just hidden


def test_a_case_is_opened_from_a_report_page(people, signed_in):
    report = new_report(people.org)
    response = signed_in(people.carlos).post(
        f"/o/defenders/reports/{report.pk}/open-case/", {"title": "From the queue"}
    )
    case = Case.objects.get()
    assert response["Location"] == f"/o/defenders/cases/{case.pk}/"
    assert case.title == "From the queue"


ACTIONS = st.lists(
    st.tuples(
        st.sampled_from(["carlos", "vera", "otto", "alice", "ines"]),
        st.sampled_from(states.Status.values),
        st.sampled_from(["", *states.Outcome.values]),
    ),
    min_size=1,
    max_size=12,
)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(actions=ACTIONS)
def test_random_sequences_by_random_people_keep_every_rule(people, actions):
    """Property: whatever people try, in whatever order — no illegal transition happens, each
    accepted one writes exactly one audit event, and no one outside the organisation succeeds."""
    case = services.open_case(
        people.org, reports=[new_report(people.org)], title="stateful", actor=people.carlos
    )
    writers = {"carlos", "alice"}
    for who, to, outcome in actions:
        actor = getattr(people, who)
        before_status = Case.objects.get(pk=case.pk).status
        before_events = AuditEvent.objects.filter(
            action="case.transitioned", object_id=str(case.pk)
        ).count()
        try:
            services.transition_case(case, to, actor=actor, outcome=outcome)
            ok = True
        except (ValidationError, PermissionDenied):
            ok = False
        after = Case.objects.get(pk=case.pk)
        events = AuditEvent.objects.filter(
            action="case.transitioned", object_id=str(case.pk)
        ).count()
        if ok:
            assert who in writers
            assert to in states.allowed(before_status)
            assert after.status == to and events == before_events + 1
        else:
            assert after.status == before_status and events == before_events
        assert after.is_open == (after.status in states.OPEN)  # the open views' stored flag


def test_the_reporter_sees_status_changes_on_the_follow_up_page(people, case):
    from amparo.intake.models import Message

    services.transition_case(case, "in_progress", actor=people.carlos)
    services.transition_case(case, "escalated", actor=people.carlos)
    report = case.report_links.get().report
    assert list(
        Message.objects.filter(report=report, direction="status").values_list(
            "status_code", flat=True
        )
    ) == ["in_progress", "escalated"]


def test_a_case_is_referred_to_a_partner_with_only_what_is_needed(people, signed_in):
    from amparo.cases.models import Referral
    from amparo.intake.models import Report

    report = new_report(
        people.org,
        reporter_name="Secret Name QX9",
        contact_value="+52 55 0000 1111",
        narrative="Call me at +52 55 0000 1111, I am Secret Name QX9.",
    )
    case = services.open_case(people.org, reports=[report], title="to refer", actor=people.carlos)
    client = signed_in(people.carlos)
    client.post(f"/o/defenders/cases/{case.pk}/refer/", {"partner": str(people.other_org.pk)})
    assert not Referral.objects.exists()  # the reporter's agreement must be confirmed
    client.post(
        f"/o/defenders/cases/{case.pk}/refer/",
        {"partner": str(people.other_org.pk), "agreed": "1"},
    )
    referral = Referral.objects.get()
    incoming = Report.objects.get(organisation=people.other_org)
    assert (
        incoming.channel == "referral"
        and referral.report == incoming
        and not referral.includes_identity
    )
    assert "QX9" not in (incoming.narrative or "") and "0000 1111" not in (incoming.narrative or "")
    assert incoming.reporter == {}
    # The partner answers from its own queue; the referring organisation sees the status.
    otto = signed_in(people.otto)
    otto.post(f"/o/other/reports/{incoming.pk}/referral/", {"status": "accepted"})
    referral.refresh_from_db()
    assert referral.status == "accepted"
    page = signed_in(people.carlos).get(f"/o/defenders/cases/{case.pk}/").content.decode()
    assert "Accepted by the partner" in page


@pytest.mark.parametrize("partner", ["", "not-an-id", "00000000-0000-0000-0000-000000000000"])
def test_referring_to_no_valid_partner_says_so_and_changes_nothing(people, signed_in, partner):
    from amparo.cases.models import Referral

    case = services.open_case(
        people.org, reports=[new_report(people.org)], title="to refer", actor=people.carlos
    )
    response = signed_in(people.carlos).post(
        f"/o/defenders/cases/{case.pk}/refer/",
        {"partner": partner, "agreed": "1"},
        follow=True,
    )
    assert response.status_code == 200
    assert "Choose a partner organisation." in response.content.decode()
    assert not Referral.objects.exists()


@pytest.mark.parametrize(("asked", "identity_goes"), [("", False), ("1", True)])
def test_an_ask_me_first_reporter_is_named_to_the_partner_only_when_asked(
    people, signed_in, asked, identity_goes
):
    from amparo.cases.models import Referral
    from amparo.intake.models import Report

    report = new_report(
        people.org, reporter_name="Nombre QZ7", consent_share_identity="ask", consent_contact="yes"
    )
    case = services.open_case(people.org, reports=[report], title="ask", actor=people.carlos)
    page = signed_in(people.carlos).get(f"/o/defenders/cases/{case.pk}/").content.decode()
    assert 'name="asked_identity"' in page
    signed_in(people.carlos).post(
        f"/o/defenders/cases/{case.pk}/refer/",
        {
            "partner": str(people.other_org.pk),
            "agreed": "1",
            "asked_identity": asked,
        },
    )
    referral = Referral.objects.get()
    incoming = Report.objects.get(organisation=people.other_org)
    assert referral.includes_identity is identity_goes
    assert ((incoming.reporter or {}).get("name") == "Nombre QZ7") is identity_goes
