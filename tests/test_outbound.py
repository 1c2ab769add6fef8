"""Outbound e-mail works without a mail server: it is queued (encrypted) in the database and
delivered by the worker with retries, its failures are visible, and a caseworker can record an
escalation as sent by hand instead."""

from __future__ import annotations

import os
import socket
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import time_machine
from django.core.mail import EmailMessage
from django.db import connection
from django.utils import timezone

from amparo.audit.models import AuditEvent
from amparo.core.models import OutboundMessage
from amparo.outbound import services as outbound
from amparo.worker.models import ScheduledJob
from amparo.worker.services import run_job
from tests.conftest import file_contains


def run_due(kind: str = outbound.DELIVER) -> int:
    """Run, as the worker would, the jobs of ``kind`` due now (and those they make due now);
    returns how many ran."""
    ran = 0
    for _round in range(100):
        due = list(
            ScheduledJob.objects.filter(
                kind=kind, status=ScheduledJob.Status.PENDING, due_at__lte=timezone.now()
            )
        )
        if not due:
            return ran
        for job in due:
            claimed = ScheduledJob.objects.filter(
                pk=job.pk, status=ScheduledJob.Status.PENDING
            ).update(
                status=ScheduledJob.Status.CLAIMED, claimed_by="test", claimed_at=timezone.now()
            )
            if claimed:
                job.refresh_from_db()
                run_job(job)
                ran += 1
    raise AssertionError("jobs keep becoming due")


@pytest.fixture
def no_smtp(settings: Any) -> int:
    """SMTP pointed at a port of this machine where nothing listens."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", port, 3
    return port


def email_escalation(people: Any) -> Any:
    from amparo.cases.services import open_case
    from amparo.escalations import register, services
    from amparo.intake.forms import ReportForm
    from amparo.intake.services import acknowledge, submit_report
    from tests.intake.conftest import valid_report

    form = ReportForm(valid_report(platform="telegram", country="DE"))
    assert form.is_valid(), form.errors
    report = submit_report(people.org, form.report_fields(), channel="web_form", language="en")
    acknowledge(report.report, actor=people.carlos)  # no alarms in these tests
    case = open_case(people.org, reports=[report.report], title="outbound", actor=people.carlos)
    chan = next(c for c in register.channels_for_case(case) if c.reached_by_email)
    return services.create(case, chan.code, actor=people.carlos)


def detail_url(escalation: Any) -> str:
    return f"/o/defenders/escalations/{escalation.pk}/"


def test_send_now_without_a_mail_server_queues_the_email_and_shows_it(people, no_smtp, signed_in):
    escalation = email_escalation(people)
    client = signed_in(people.carlos)
    response = client.post(detail_url(escalation), {"action": "send"})
    assert response.status_code == 302
    message = OutboundMessage.objects.get(kind="escalation")
    assert message.ref == str(escalation.pk) and message.status == "pending"
    assert message.organisation == people.org and message.recipient_domains == "telegram.org"
    escalation.refresh_from_db()
    assert escalation.status == "ready" and escalation.sent_at is None  # not sent yet
    page = client.get(detail_url(escalation)).content.decode()
    assert "queued at" in page and "Send now" not in page and "Mark as sent by hand" in page
    # Sending twice does not queue twice.
    client.post(detail_url(escalation), {"action": "send"})
    assert OutboundMessage.objects.filter(kind="escalation").count() == 1
    assert AuditEvent.objects.filter(action="escalation.queued").count() == 1


def test_delivery_retries_with_backoff_under_a_frozen_clock_then_gives_up(
    people, no_smtp, signed_in
):
    escalation = email_escalation(people)
    with time_machine.travel(datetime(2030, 3, 4, 9, 0, tzinfo=UTC), tick=False) as clock:
        from amparo.escalations import services

        services.send(escalation, actor=people.carlos)
        message = OutboundMessage.objects.get(kind="escalation")
        waits = []
        for attempt in range(1, outbound.MAX_ATTEMPTS + 1):
            assert run_due() == 1
            message.refresh_from_db()
            assert message.attempts == attempt
            assert message.last_error == "ConnectionRefusedError"
            if attempt == outbound.MAX_ATTEMPTS:
                break
            assert message.status == "pending"
            waits.append(message.next_attempt_at - timezone.now())
            if attempt == 2:
                page = signed_in(people.carlos).get(detail_url(escalation)).content.decode()
                assert "failed 2 times (ConnectionRefusedError); will retry at" in page
            clock.move_to(message.next_attempt_at - timedelta(seconds=1))
            assert run_due() == 0  # not before it is due
            clock.move_to(message.next_attempt_at)
        minutes = [w.total_seconds() / 60 for w in waits]
        assert minutes == [1, 5, 15, 60] + [360] * (outbound.MAX_ATTEMPTS - 5)
        assert message.status == "failed" and message.next_attempt_at is None
        assert message.sealed is not None  # kept for a while, so it can be retried
        health = outbound.health_details()
        assert health["failed"] == 1 and health["pending"] == 0
        assert health["last_error"] == "ConnectionRefusedError"
        assert health["oldest_pending_age_seconds"] is None
        assert AuditEvent.objects.filter(action="outbound.gave_up").count() == 1
        page = signed_in(people.carlos).get(detail_url(escalation)).content.decode()
        assert "gave up after 12 attempts (ConnectionRefusedError)" in page
        assert "Send again" in page
        escalation.refresh_from_db()
        assert escalation.status == "ready"
        # A week later housekeeping deletes the content; the metadata row stays.
        clock.move_to(timezone.now() + outbound.KEEP_FAILED + timedelta(minutes=1))
        assert outbound.purge() == (1, 0)
        message.refresh_from_db()
        assert message.sealed is None and message.status == "failed"


def test_a_real_mail_server_gets_it_and_its_content_leaves_the_database(
    people, smtp_server, signed_in
):
    escalation = email_escalation(people)
    signed_in(people.carlos).post(detail_url(escalation), {"action": "send"})
    assert smtp_server.messages == []  # never inside the request
    health = outbound.health_details()
    assert health["pending"] == 1 and health["oldest_pending_age_seconds"] is not None
    assert run_due() == 1
    assert len(smtp_server.messages) == 1
    assert smtp_server.messages[0]["To"].endswith("@telegram.org")
    assert escalation.case.reference in smtp_server.messages[0]["Subject"]
    message = OutboundMessage.objects.get(kind="escalation")
    assert message.status == "sent" and message.sealed is None and message.sent_at
    assert message.recipient_domains == "telegram.org" and message.attempts == 1
    escalation.refresh_from_db()
    assert escalation.status == "sent" and escalation.sent_at == message.sent_at
    assert escalation.expected_response_at > escalation.sent_at
    assert ScheduledJob.objects.filter(kind="escalation.chase").exists()  # the clock runs
    page = signed_in(people.carlos).get(detail_url(escalation)).content.decode()
    assert "accepted by the mail server" in page
    assert outbound.health_details()["pending"] == 0


def test_forgot_password_without_a_mail_server_queues_the_email(people, no_smtp, client):
    response = client.post("/accounts/password/reset/", {"email": people.alice.email})
    assert response.status_code in (200, 302)
    message = OutboundMessage.objects.get(kind="account")
    assert message.organisation is None and message.kek_id and message.sealed
    assert message.recipient_domains == "defenders.example"
    assert run_due() == 1
    message.refresh_from_db()
    assert message.status == "pending" and message.last_error == "ConnectionRefusedError"


def test_a_password_reset_is_delivered_by_the_worker(people, smtp_server, client):
    client.post("/accounts/password/reset/", {"email": people.alice.email})
    assert smtp_server.messages == []
    assert run_due() == 1
    assert [m["To"] for m in smtp_server.messages] == [people.alice.email]
    assert "/accounts/password/reset/key/" in smtp_server.messages[0].get_payload()


@pytest.mark.parametrize("path", ["form", "import", "api"])
def test_alarms_fire_60_and_90_minutes_after_the_exact_receipt(people, path, signed_in):
    import json

    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client

    from amparo.intake import tokens
    from amparo.intake.forms import ReportForm
    from amparo.intake.models import Report
    from amparo.intake.services import submit_report
    from tests.intake.conftest import valid_report

    _t, token = tokens.create(
        people.org, name="partner", scopes=["reports:submit"], actor=people.alice
    )
    received = datetime(2030, 3, 4, 10, 7, 30, tzinfo=UTC)
    with time_machine.travel(received, tick=False):
        if path == "form":
            form = ReportForm(valid_report())
            assert form.is_valid()
            submit_report(people.org, form.report_fields(), channel="web_form", language="en")
        elif path == "import":
            rows = "incident_type,platform,narrative,country,attackers,occurred_on\n"
            rows += "harassment,x,Daily abusive replies from the same accounts.,PK,@a,\n"
            response = signed_in(people.carlos).post(
                "/o/defenders/reports/import/",
                {"file": SimpleUploadedFile("r.csv", rows.encode())},
            )
            assert response.status_code == 200
        else:
            body = {
                "incident_type": "false_mass_reporting",
                "platform": "tiktok",
                "narrative": "Dozens of accounts reported my videos; my account was banned.",
                "language": "en",
                "country": "KE",
                "consent": {
                    "contact": "no",
                    "share_identity": "no",
                    "collective": "yes",
                    "statistics": "yes",
                },
            }
            response = Client().post(
                "/api/v1/reports",
                json.dumps(body),
                content_type="application/json",
                HTTP_AUTHORIZATION=f"Bearer {token}",
            )
            assert response.status_code == 201, response.content
    report = Report.objects.get()
    assert report.received_at == datetime(2030, 3, 4, 10, 0, tzinfo=UTC)  # stays coarse
    due = sorted(
        ScheduledJob.objects.filter(kind="intake.unacknowledged").values_list("due_at", flat=True)
    )
    assert due == [
        datetime(2030, 3, 4, 11, 7, 30, tzinfo=UTC),
        datetime(2030, 3, 4, 11, 37, 30, tzinfo=UTC),
    ]


def test_in_app_alarms_are_raised_when_the_mail_server_is_down(people, no_smtp):
    from amparo.accounts.models import Membership
    from amparo.intake.forms import ReportForm
    from amparo.intake.models import Notification
    from amparo.intake.services import submit_report
    from tests.intake.conftest import valid_report

    Membership.objects.filter(user=people.carlos).update(is_shift_lead=True)
    form = ReportForm(valid_report())
    assert form.is_valid()
    with time_machine.travel(datetime(2030, 3, 4, 10, 7, 30, tzinfo=UTC), tick=False) as clock:
        submit_report(people.org, form.report_fields(), channel="web_form", language="en")
        clock.move_to(datetime(2030, 3, 4, 11, 7, 30, tzinfo=UTC))
        assert run_due("intake.unacknowledged") == 1
        assert Notification.objects.filter(recipient=people.carlos).count() == 1
        message = OutboundMessage.objects.get(kind="alarm")
        assert run_due() == 1  # the e-mail fails ...
        message.refresh_from_db()
        assert message.status == "pending" and message.attempts == 1
        assert Notification.objects.filter(recipient=people.carlos).count() == 1  # ... it stays


def test_marking_as_sent_by_hand_is_audited_and_cancels_the_queued_email(
    people, no_smtp, signed_in
):
    escalation = email_escalation(people)
    client = signed_in(people.carlos)
    client.post(detail_url(escalation), {"action": "send"})
    message = OutboundMessage.objects.get(kind="escalation")
    today = timezone.localdate()
    response = client.post(
        detail_url(escalation),
        {"action": "sent_by_hand", "sent_on": today.isoformat(), "reference": "TG-HAND-7"},
    )
    assert response.status_code == 302
    escalation.refresh_from_db()
    assert escalation.status == "sent" and escalation.external_reference == "TG-HAND-7"
    assert escalation.expected_response_at > escalation.sent_at
    message.refresh_from_db()
    assert message.status == "cancelled" and message.sealed is None
    event = AuditEvent.objects.get(action="escalation.sent_by_hand")
    assert event.actor == people.carlos and event.new["cancelled_messages"] == 1
    assert "TG-HAND-7" not in str(event.new)  # codes, never what was typed
    assert run_due() == 0  # its delivery job was cancelled too
    assert (
        "cancelled: marked as sent by hand" in client.get(detail_url(escalation)).content.decode()
    )
    # Not twice, not in the future.
    again = client.post(
        detail_url(escalation), {"action": "sent_by_hand", "sent_on": today.isoformat()}
    )
    assert again.status_code == 200
    assert AuditEvent.objects.filter(action="escalation.sent_by_hand").count() == 1


def test_a_future_day_is_refused(people, signed_in):
    escalation = email_escalation(people)
    tomorrow = timezone.localdate() + timedelta(days=2)  # the future in every time zone
    response = signed_in(people.carlos).post(
        detail_url(escalation), {"action": "sent_by_hand", "sent_on": tomorrow.isoformat()}
    )
    assert response.status_code == 200 and "future" in response.content.decode()
    escalation.refresh_from_db()
    assert escalation.status == "ready"


def test_the_outbound_page_is_for_administrators_and_coordinators_only(people, no_smtp, signed_in):
    escalation = email_escalation(people)
    signed_in(people.carlos).post(detail_url(escalation), {"action": "send"})
    run_due()
    message = OutboundMessage.objects.get(kind="escalation")
    url = "/o/defenders/outbound/"
    for outsider in (people.otto, people.carlos, people.vera, people.ines):
        client = signed_in(outsider)
        assert client.get(url).status_code == 404
        assert client.post(url, {"action": "retry", "message": message.pk}).status_code == 404
        client.logout()
    # Another organisation's administrator cannot retry it through their own page either.
    other = signed_in(people.otto)
    assert (
        other.post("/o/other/outbound/", {"action": "retry", "message": message.pk}).status_code
        == 404
    )
    other.logout()
    admin = signed_in(people.alice)
    page = admin.get(url).content.decode()
    assert "telegram.org" in page and "ConnectionRefusedError" in page and "Retry now" in page
    assert escalation.case.reference not in page  # no content: not even the subject
    before = message.next_attempt_at
    assert admin.post(url, {"action": "retry", "message": message.pk}).status_code == 302
    message.refresh_from_db()
    assert message.next_attempt_at < before
    assert AuditEvent.objects.filter(action="outbound.retried", actor=people.alice).count() == 1
    assert run_due() == 1
    message.refresh_from_db()
    assert message.attempts == 2


@pytest.mark.django_db(transaction=True)
def test_queued_content_is_not_readable_in_clear_in_the_database(settings, no_smtp):
    from amparo.accounts.services import create_organisation

    org = create_organisation(name="Canary Org", slug="canary", actor=None)
    canary = f"CANARY-{uuid.uuid4().hex}"
    for organisation in (org, None):
        outbound.queue_email(
            EmailMessage(
                subject=f"Subject {canary}",
                body=f"Body {canary}",
                to=[f"{canary.lower()}@platform.example"],
            ),
            kind="other",
            organisation=organisation,
        )
    rows = list(OutboundMessage.objects.all())
    assert len(rows) == 2 and all(r.sealed for r in rows)
    # The worker can open both.
    for row in rows:
        assert canary in outbound._open(row).body
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {OutboundMessage._meta.db_table}")
        raw = repr(cursor.fetchall()).lower()
    assert canary.lower() not in raw and bytes(canary, "ascii").hex() not in raw
    if connection.vendor == "sqlite":
        name = settings.DATABASES["default"]["TEST"]["NAME"]
        for suffix in ("", "-wal"):
            if os.path.exists(name + suffix):
                assert not file_contains(name + suffix, canary.encode())
                assert not file_contains(name + suffix, canary.lower().encode())
    # Moved to another row, a sealed value does not open.
    first, second = rows
    first.sealed, second.sealed = second.sealed, first.sealed
    with pytest.raises(Exception, match="authentication"):
        outbound._open(first)
