"""A partner that receives a referral sees Accept and Decline — on the report that came in and
on the case it opened from it — and its answer is accepted only in the referral's state."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from amparo.audit.models import AuditEvent
from amparo.cases import services
from amparo.cases.models import Referral
from amparo.cases.referrals import answer, refer
from amparo.cases.states import REFERRAL_TRANSITIONS
from tests.cases.conftest import new_report


@pytest.fixture
def referral(people):
    case = services.open_case(
        people.org, reports=[new_report(people.org)], title="to refer", actor=people.carlos
    )
    return refer(case, people.other_org, actor=people.carlos, reporter_agreed=True)


def test_the_answers_follow_the_referral_state_machine(people, referral):
    assert set(REFERRAL_TRANSITIONS) == set(Referral.Status.values)
    with pytest.raises(ValidationError, match="cannot be answered"):
        answer(referral, "completed", actor=people.otto)  # not accepted yet
    answer(referral, "declined", actor=people.otto)
    for status in ("accepted", "declined", "completed"):
        with pytest.raises(ValidationError, match="cannot be answered"):
            answer(referral, status, actor=people.otto)
    with pytest.raises(ValidationError, match="cannot be answered"):
        answer(referral, "proposed", actor=people.otto)  # no way back
    with pytest.raises(ValidationError, match="Unknown answer"):
        answer(referral, "maybe", actor=people.otto)
    assert Referral.objects.get().status == "declined"
    assert AuditEvent.objects.filter(action="case.referral_answered").count() == 1


def test_a_stale_referral_cannot_be_answered_twice(people, referral):
    stale = Referral.objects.get(pk=referral.pk)
    answer(referral, "accepted", actor=people.otto)
    with pytest.raises(ValidationError, match="cannot be answered"):
        answer(stale, "declined", actor=people.otto)  # read as proposed, answered meanwhile
    assert Referral.objects.get().status == "accepted"


def test_only_the_partner_answers(people, referral):
    from django.core.exceptions import PermissionDenied

    for outsider in (people.carlos, people.alice):  # the referrer cannot answer for the partner
        with pytest.raises(PermissionDenied):
            answer(referral, "accepted", actor=outsider)
    assert Referral.objects.get().status == "proposed"


def test_the_partner_sees_accept_and_decline_on_the_report_that_came_in(
    people, referral, signed_in
):
    otto = signed_in(people.otto)
    page = otto.get(f"/o/other/reports/{referral.report_id}/").content.decode()
    assert "Referred by Defenders Helpline" in page
    assert 'value="accepted"' in page and 'value="declined"' in page
    otto.post(f"/o/other/reports/{referral.report_id}/referral/", {"status": "accepted"})
    page = otto.get(f"/o/other/reports/{referral.report_id}/").content.decode()
    assert 'value="completed"' in page and 'value="declined"' not in page
    # A refused answer is said, not a server error.
    response = otto.post(
        f"/o/other/reports/{referral.report_id}/referral/",
        {"status": "declined"},
        follow=True,
    )
    assert response.status_code == 200 and "cannot be answered" in response.content.decode()


def test_the_partner_answers_from_the_case_it_opened_and_the_referrer_sees_it(
    people, referral, signed_in
):
    partner_case = services.open_case(
        people.other_org, reports=[referral.report], title="from a partner", actor=people.otto
    )
    otto = signed_in(people.otto)
    url = f"/o/other/cases/{partner_case.pk}/"
    page = otto.get(url).content.decode()
    assert "Referred by Defenders Helpline" in page and "Accept" in page and "Decline" in page
    assert otto.post(url + "referral/", {"status": "accepted"}).status_code == 302
    assert Referral.objects.get().status == "accepted"
    page = otto.get(url).content.decode()
    assert "Mark as completed" in page and ">Accept<" not in page
    otto.post(url + "referral/", {"status": "completed"})
    assert Referral.objects.get().status == "completed"
    otto.logout()
    carlos = signed_in(people.carlos)
    page = carlos.get(f"/o/defenders/cases/{referral.case_id}/").content.decode()
    assert "Completed by the partner" in page


def test_a_case_that_was_not_referred_has_no_answer_to_give(people, referral, signed_in):
    own = services.open_case(
        people.org, reports=[new_report(people.org)], title="own", actor=people.carlos
    )
    response = signed_in(people.carlos).post(
        f"/o/defenders/cases/{own.pk}/referral/", {"status": "accepted"}
    )
    assert response.status_code == 404
    assert Referral.objects.get().status == "proposed"
