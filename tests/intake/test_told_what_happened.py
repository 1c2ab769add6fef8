"""Issue 14, "Told what happened": the services that make a change tell the right people in
the app, in words, linked to what it is about; nobody else gets or sees them."""

from __future__ import annotations

from unittest import mock

import pytest

from amparo.cases import services as cases
from amparo.cases.referrals import answer, refer
from amparo.intake import notifying, services
from amparo.intake.models import Notification
from tests.cases.conftest import new_report


def kinds(user):
    return sorted(Notification.objects.filter(recipient=user).values_list("kind", flat=True))


def test_what_a_reporter_does_tells_the_team_when_no_one_works_on_the_report(people):
    report = new_report(people.org)
    services.reporter_answer(report, "Here is more.")
    services.change_consent(report, {"consent_statistics": "no"})
    services.request_deletion(report)
    told = ["consent_changed", "deletion_requested", "reporter_answered"]
    assert kinds(people.alice) == kinds(people.adam) == told  # the administrators
    assert kinds(people.carlos) == [] and kinds(people.otto) == []
    assert set(Notification.objects.values_list("report", flat=True)) == {report.pk}


def test_the_assigned_caseworker_or_the_case_assignee_is_told_instead(people):
    report = new_report(people.org)
    report.assigned_to = people.carlos
    report.save(update_fields=["assigned_to"])
    services.reporter_answer(report, "More.")
    assert kinds(people.carlos) == ["reporter_answered"] and kinds(people.alice) == []
    in_case = new_report(people.org)
    case = cases.open_case(people.org, reports=[in_case], title="c", actor=people.carlos)
    cases.assign_case(case, people.adam, actor=people.carlos)
    in_case.refresh_from_db()
    services.request_deletion(in_case)
    assert kinds(people.adam) == ["deletion_requested"] and kinds(people.alice) == []


def test_consent_changed_by_staff_tells_no_one(people):
    report = new_report(people.org)
    services.change_consent(report, {"consent_statistics": "no"}, actor=people.carlos)
    assert not Notification.objects.exists()


def test_a_referral_tells_the_partner_and_its_answer_tells_the_referrer(people):
    case = cases.open_case(
        people.org, reports=[new_report(people.org)], title="r", actor=people.carlos
    )
    referral = refer(case, people.other_org, actor=people.carlos, reporter_agreed=True)
    received = Notification.objects.get(recipient=people.otto)
    assert received.kind == "referral_received" and received.report_id == referral.report_id
    assert received.organisation_id == people.other_org.pk
    assert not Notification.objects.filter(organisation=people.org).exists()
    cases.assign_case(case, people.carlos, actor=people.carlos)
    answer(referral, "accepted", actor=people.otto)
    told = Notification.objects.get(recipient=people.carlos)
    assert (told.kind, told.link, told.object_id) == (
        "referral_accepted",
        "case_detail",
        str(case.pk),
    )


def test_a_finished_or_failed_campaign_run_tells_who_started_it(people):
    from amparo.campaigns.models import DetectionRun
    from amparo.campaigns.services import tell_finished
    from amparo.campaigns.tasks import run_detection
    from amparo.keyring.services import organisation_key

    run = DetectionRun.objects.create(
        organisation=people.org,
        data_key=organisation_key(people.org),
        created_by=people.alice,
        params={},
        inputs=[],
    )
    with mock.patch("amparo.campaigns.services.execute", side_effect=RuntimeError("boom")):
        with pytest.raises(RuntimeError):
            run_detection.call(str(run.pk))
    told = Notification.objects.get(recipient=people.alice)
    assert (told.kind, told.link, told.object_id) == (
        "campaign_run_failed",
        "campaign_run",
        str(run.pk),
    )
    tell_finished(run, "campaign_run_done")
    assert kinds(people.alice) == ["campaign_run_done", "campaign_run_failed"]
    assert kinds(people.adam) == []


def test_the_page_says_it_in_words_links_it_and_marks_it_read(people, signed_in):
    report = new_report(people.org)
    services.reporter_answer(report, "More.")
    notifying.notify(
        [people.alice],
        people.org,
        "escalation_needs_approval",
        link="escalation_detail",
        object_id="3f0c8c1e-6a3e-4f7e-9a53-0c3c9f7d1a11",
    )
    client = signed_in(people.alice)
    page = client.get("/o/defenders/alarms/").content.decode()
    assert f"The reporter of {report.reference} answered." in page
    assert f'href="/o/defenders/reports/{report.pk}/"' in page
    assert "An escalation waits for your approval." in page
    assert 'href="/o/defenders/escalations/3f0c8c1e-6a3e-4f7e-9a53-0c3c9f7d1a11/"' in page
    assert page.count('class="unread"') == 2
    assert '<span class="badge" aria-label="unread">2</span>' in page
    one = Notification.objects.get(recipient=people.alice, kind="reporter_answered")
    client.post("/o/defenders/alarms/read/", {"id": one.pk})
    one.refresh_from_db()
    assert one.read_at is not None
    assert Notification.objects.filter(recipient=people.alice, read_at__isnull=True).count() == 1
    client.post("/o/defenders/alarms/read/")
    page = client.get("/o/defenders/alarms/").content.decode()
    assert 'class="unread"' not in page and 'class="badge"' not in page


def test_other_people_never_see_or_mark_them(people, signed_in):
    report = new_report(people.org)
    services.reporter_answer(report, "More.")
    mine = Notification.objects.get(recipient=people.alice)
    otto = signed_in(people.otto)
    assert otto.get("/o/defenders/alarms/").status_code == 404
    assert otto.post("/o/defenders/alarms/read/", {"id": mine.pk}).status_code == 404
    assert report.reference not in otto.get("/o/other/alarms/").content.decode()
    assert otto.post("/o/other/alarms/read/", {"id": mine.pk}).status_code == 404
    carlos = signed_in(people.carlos)
    assert carlos.post("/o/defenders/alarms/read/", {"id": mine.pk}).status_code == 404
    mine.refresh_from_db()
    assert mine.read_at is None
