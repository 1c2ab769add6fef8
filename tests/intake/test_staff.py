"""Caseworkers see the most urgent reports first; identity views and downloads are audited."""

from __future__ import annotations

from datetime import timedelta

from django.test import Client
from django.utils import timezone

from amparo.audit.models import AuditEvent
from amparo.intake.models import Notification, Report
from amparo.intake.services import submit_report
from amparo.worker.models import ScheduledJob
from amparo.worker.services import claim_due, run_job
from tests.intake.conftest import valid_report


def make(org, **overrides):
    from amparo.intake.forms import ReportForm

    form = ReportForm(valid_report(**overrides))
    assert form.is_valid(), form.errors
    return submit_report(org, form.report_fields(), channel="web_form", language="en").report


def test_the_queue_puts_the_most_urgent_first(people, signed_in):
    calm = make(
        people.org,
        incident_type="reach_reduced",
        narrative="My posts reach fewer people since last week.",
    )
    urgent = make(
        people.org,
        incident_type="threats_of_violence",
        danger_now="on",
        narrative="They posted my home address and said they will kill me tonight.",
    )
    assert urgent.urgency_rank < calm.urgency_rank
    page = signed_in(people.carlos).get("/o/defenders/reports/").content.decode()
    assert page.index(urgent.reference) < page.index(calm.reference)


def test_the_report_page_explains_the_urgency_and_hides_identity_until_asked(people, signed_in):
    report = make(
        people.org,
        incident_type="doxxing",
        home_address_exposed="on",
        narrative="My address was posted.",
    )
    client = signed_in(people.carlos)
    page = client.get(f"/o/defenders/reports/{report.pk}/").content.decode()
    assert "home_address" in page or "doxxing" in page
    assert "+52 55 1234 5678" not in page
    page = client.post(f"/o/defenders/reports/{report.pk}/identity/").content.decode()
    assert "+52 55 1234 5678" in page
    assert (
        AuditEvent.objects.filter(
            action="report.identity_viewed", actor=people.carlos, object_id=str(report.pk)
        ).count()
        == 1
    )


def test_a_viewer_sees_but_cannot_reveal_or_acknowledge(people, signed_in):
    report = make(people.org)
    client = signed_in(people.vera)
    assert client.get(f"/o/defenders/reports/{report.pk}/").status_code == 200
    assert client.post(f"/o/defenders/reports/{report.pk}/identity/").status_code == 404
    assert client.post(f"/o/defenders/reports/{report.pk}/acknowledge/").status_code == 404
    report.refresh_from_db()
    assert report.status == "received"
    assert not AuditEvent.objects.filter(action="report.identity_viewed").exists()


def test_an_intermediary_submits_for_someone_and_sees_only_their_own(people, signed_in):
    other = make(people.org)
    client = signed_in(people.ines)
    data = valid_report(attestation="on")
    response = client.post("/o/defenders/reports/new/", data)
    assert response.status_code == 200 and "followup-code" in response.content.decode()
    mine = Report.objects.get(channel="intermediary")
    assert mine.submitted_by == people.ines and mine.intermediary_attested
    page = client.get("/o/defenders/reports/").content.decode()
    assert mine.reference in page and other.reference not in page
    assert client.get(f"/o/defenders/reports/{other.pk}/").status_code == 404


def test_an_intermediary_must_attest_consent(people, signed_in):
    client = signed_in(people.ines)
    response = client.post("/o/defenders/reports/new/", valid_report())
    assert response.status_code == 400
    assert not Report.objects.exists()


def test_reports_sharing_an_attacker_are_suggested(people, signed_in):
    first = make(people.org, attackers="@Troll_Master")
    second = make(people.org, attackers="https://x.com/troll_master", affected="@someone_else")
    unrelated = make(people.org, attackers="@nobody_here", affected="@another")
    page = signed_in(people.carlos).get(f"/o/defenders/reports/{second.pk}/").content.decode()
    related = page.split('id="rel-h"')[1]
    assert first.reference in related and unrelated.reference not in related


def test_evidence_is_served_as_an_attachment_without_metadata(people, signed_in):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.intake.conftest import png_bytes
    from tests.intake.test_public_form import submit

    submit(
        Client(),
        valid_report(),
        [SimpleUploadedFile("p.jpg", png_bytes("SpyCam"), content_type="image/jpeg")],
    )
    report = Report.objects.get()
    item = report.evidence.get()
    response = signed_in(people.carlos).get(f"/o/defenders/reports/{report.pk}/evidence/{item.pk}/")
    body = b"".join(response.streaming_content)
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Content-Type"] == "application/octet-stream"
    assert b"SpyCam" not in body and body[:2] == b"\xff\xd8"
    # The original (with its metadata) is for coordinators only.
    assert (
        signed_in(people.carlos)
        .get(f"/o/defenders/reports/{report.pk}/evidence/{item.pk}/?copy=original")
        .status_code
        == 404
    )


def test_unacknowledged_reports_raise_alarms_by_email_and_in_the_app(people, smtp_server):
    from amparo.accounts.models import Membership

    Membership.objects.filter(user=people.carlos).update(is_shift_lead=True)
    report = make(people.org)
    from tests.test_outbound import run_due

    jobs = ScheduledJob.objects.filter(kind="intake.unacknowledged").order_by("due_at")
    assert [j.payload["minutes"] for j in jobs] == [60, 90]  # exact times: tests/test_outbound.py
    for job in claim_due("w", now=timezone.now() + timedelta(minutes=61)):
        run_job(job)
    assert smtp_server.messages == []  # queued for the worker
    run_due()
    assert [m["To"] for m in smtp_server.messages] == [people.carlos.email]
    assert report.reference in smtp_server.messages[0]["Subject"]
    assert "My page was suspended" not in smtp_server.messages[0].get_payload()  # never the content
    assert Notification.objects.filter(recipient=people.carlos).count() == 1
    for job in claim_due("w", now=timezone.now() + timedelta(minutes=91)):
        run_job(job)
    run_due()
    recipients = sorted(m["To"] for m in smtp_server.messages[1:])
    assert recipients == sorted([people.alice.email, people.adam.email])


def test_acknowledging_stops_the_alarms(people, signed_in, smtp_server):
    report = make(people.org)
    signed_in(people.carlos).post(f"/o/defenders/reports/{report.pk}/acknowledge/")
    report.refresh_from_db()
    assert report.status == "acknowledged" and report.acknowledged_by == people.carlos
    assert claim_due("w", now=timezone.now() + timedelta(hours=3)) == []
    assert smtp_server.messages == []


def test_erasing_a_report_on_request_shreds_it(people, signed_in):
    from amparo.intake.services import request_deletion
    from amparo.keyring.models import DataKey

    report = make(people.org)
    request_deletion(report)
    client = signed_in(people.alice)
    page = client.get(f"/o/defenders/reports/{report.pk}/").content.decode()
    assert 'name="confirm_reference"' in page and report.reference in page
    # Without typing the reference, or with a wrong one, nothing is erased (checked on the server).
    for typed in (None, "", report.reference[:-1], "yes"):
        data = {} if typed is None else {"confirm_reference": typed}
        response = client.post(f"/o/defenders/reports/{report.pk}/erase/", data)
        assert response.status_code == 200 and "type its reference" in response.content.decode()
        assert Report.objects.get(pk=report.pk).erased_at is None
    client.post(
        f"/o/defenders/reports/{report.pk}/erase/",
        {"confirm_reference": f" {report.reference} "},
    )
    report = Report.objects.get(pk=report.pk)
    assert report.erased_at is not None and report.narrative is None
    assert DataKey.objects.get(pk=report.data_key_id).wrapped is None
