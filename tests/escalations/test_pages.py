"""The escalation's pages through the real entry points: one address and one form per action,
the escalations list for shift leads, and outsiders refused everywhere."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from amparo.audit.models import AuditEvent
from amparo.escalations import services
from amparo.escalations.models import Escalation, Status
from tests.escalations.lifecycle_helpers import (
    email_escalation,
    manual_escalation,
    personal_escalation,
    sent,
)


def url(escalation, action=""):
    return f"/o/defenders/escalations/{escalation.pk}/" + (f"{action}/" if action else "")


def test_the_actions_are_offered_only_in_their_state(people, signed_in):
    escalation = personal_escalation(people)
    carlos = signed_in(people.carlos)
    page = carlos.get(url(escalation)).content.decode()
    assert "Edit the package" in page and "Cancel the escalation" in page
    assert "Approve (second person)" not in page  # Carlos prepared it
    assert "Send now" not in page and "Record as submitted" not in page
    alice = signed_in(people.alice)
    assert "Approve (second person)" in alice.get(url(escalation)).content.decode()
    assert alice.post(url(escalation, "approve")).status_code == 302
    escalation.refresh_from_db()
    assert escalation.status == Status.READY
    page = alice.get(url(escalation)).content.decode()
    assert "Record as submitted" in page and "Save the response" not in page


def test_a_forbidden_move_is_refused_on_the_page_and_changes_nothing(people, signed_in):
    escalation = manual_escalation(people)
    client = signed_in(people.carlos)
    before = AuditEvent.objects.count()
    response = client.post(url(escalation, "response"), {"outcome": "reversed"})
    assert response.status_code == 200
    assert "Record a response only for an escalation that was sent." in response.content.decode()
    # Only the page shown again with the package is recorded; nothing changed.
    actions = list(AuditEvent.objects.order_by("seq").values_list("action", flat=True))
    assert actions[before:] == ["escalation.package_viewed"]
    assert Escalation.objects.get().status == Status.READY


def test_the_response_form_takes_the_day_it_arrived_and_the_decision_reference(people, signed_in):
    escalation = sent(people, manual_escalation(people))
    client = signed_in(people.carlos)
    page = client.get(url(escalation)).content.decode()
    assert 'id="received_on"' in page and f'value="{timezone.localdate():%Y-%m-%d}"' in page
    tomorrow = timezone.localdate() + timedelta(days=2)  # the future in every time zone
    refused = client.post(url(escalation, "response"), {"received_on": tomorrow.isoformat()})
    assert "cannot be in the future" in refused.content.decode()
    done = client.post(
        url(escalation, "response"),
        {
            "received_on": timezone.localdate().isoformat(),
            "outcome": "not_actioned",
            "decision_reference": "DEC-2026-55",
            "content_id": "775511",
        },
    )
    assert done.status_code == 302
    escalation.refresh_from_db()
    assert escalation.status == Status.RESPONDED
    assert escalation.decision_reference == "DEC-2026-55" and escalation.content_id == "775511"
    assert escalation.response_received_on == timezone.localdate()
    escalation.case.refresh_from_db()
    assert escalation.case.status == "in_progress"
    assert "received on" in client.get(url(escalation)).content.decode()


def test_edit_and_cancel_through_their_pages(people, signed_in):
    escalation = personal_escalation(people)
    client = signed_in(people.carlos)
    form = client.get(url(escalation, "edit")).content.decode()
    assert "explanation" in form and "Save and rebuild the package" in form
    response = client.post(url(escalation, "edit"), {"notice_legal_ground": "§ 185 StGB"})
    assert response.status_code == 302
    escalation.refresh_from_db()
    assert escalation.notice == {"legal_ground": "§ 185 StGB"}
    assert not escalation.carries_personal_data and escalation.status == Status.READY
    assert client.post(url(escalation, "cancel")).status_code == 302
    escalation.refresh_from_db()
    assert escalation.status == Status.CANCELLED
    again = client.post(url(escalation, "edit"), {"notice_legal_ground": "other"})
    assert again.status_code == 200 and "has not been sent" in again.content.decode()


def test_close_through_its_page(people, signed_in):
    escalation = sent(people, manual_escalation(people))
    client = signed_in(people.carlos)
    assert "No response" in client.get(url(escalation)).content.decode()
    assert client.post(url(escalation, "close"), {"outcome": ""}).status_code == 302
    escalation.refresh_from_db()
    assert escalation.status == Status.CLOSED and escalation.outcome == "no_response"


@pytest.mark.parametrize(
    "action", ["approve", "send", "sent-by-hand", "response", "close", "cancel", "edit"]
)
def test_outsiders_and_viewers_get_404_on_every_action(people, signed_in, action):
    escalation = email_escalation(people)
    before = AuditEvent.objects.filter(action__startswith="escalation.").count()
    for person in (people.otto, people.vera, people.ines):
        client = signed_in(person)
        assert client.post(url(escalation, action), {"sent_on": "2026-01-01"}).status_code == 404
        client.logout()
    assert AuditEvent.objects.filter(action__startswith="escalation.").count() == before
    assert Escalation.objects.get().status == Status.READY


def test_the_action_only_takes_post(people, signed_in):
    escalation = email_escalation(people)
    assert signed_in(people.carlos).get(url(escalation, "send")).status_code == 405


# ----------------------------------------------------------------------- the escalations list


def _world(people):
    waiting = personal_escalation(people)
    out = sent(people, manual_escalation(people))
    late = sent(people, manual_escalation(people))
    Escalation.objects.filter(pk=late.pk).update(
        expected_response_at=timezone.now() - timedelta(hours=1)
    )
    answered = sent(people, manual_escalation(people))
    services.record_response(answered, actor=people.carlos, outcome="actioned")
    by_alice = services.create(waiting.case, waiting.channel_code, actor=people.alice)
    return {"waiting": waiting, "out": out, "late": late, "answered": answered, "alice": by_alice}


def listed(client, **params):
    page = client.get("/o/defenders/escalations/", params)
    assert page.status_code == 200
    return {
        pk
        for pk in Escalation.objects.values_list("pk", flat=True)
        if str(pk) in page.content.decode()
    }


def test_the_list_has_its_tabs_and_shift_leads_see_everyones(people, signed_in):
    from amparo.accounts.models import Membership

    world = _world(people)
    Membership.objects.filter(user=people.adam).update(is_shift_lead=True)
    lead = signed_in(people.adam)
    assert listed(lead, tab="approval") == {world["waiting"].pk}
    assert listed(lead, tab="awaiting") == {world["out"].pk, world["late"].pk}
    assert listed(lead, tab="overdue") == {world["late"].pk}
    assert listed(lead, tab="answered") == {world["answered"].pk}
    assert listed(lead, tab="ready") == {world["alice"].pk}
    page = lead.get("/o/defenders/escalations/", {"tab": "overdue"}).content.decode()
    assert "overdue" in page and "Awaiting approval (1)" in page


def test_a_caseworker_starts_from_their_own_and_may_see_everyones(people, signed_in):
    world = _world(people)
    carlos = signed_in(people.carlos)
    assert listed(carlos, tab="ready") == set()  # Alice's, not his
    assert listed(carlos, tab="ready", whose="all") == {world["alice"].pk}
    assert listed(carlos, tab="approval") == set()  # he cannot approve his own
    assert listed(signed_in(people.alice), tab="approval") == {world["waiting"].pk}


def test_the_list_is_for_readers_of_cases_only(people, signed_in):
    assert signed_in(people.vera).get("/o/defenders/escalations/").status_code == 200
    assert signed_in(people.ines).get("/o/defenders/escalations/").status_code == 404
    assert signed_in(people.otto).get("/o/defenders/escalations/").status_code == 404
    nav = signed_in(people.carlos).get("/o/defenders/cases/").content.decode()
    assert 'href="/o/defenders/escalations/"' in nav
