"""The optional daily e-mail digest of unread notifications (issue 14, "Told what happened"):
one's own choice per organisation, queued through the outbound queue (no mail server needed),
the sentences and links only — never what a report says."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import time_machine

from amparo.accounts.models import Membership
from amparo.core.models import OutboundMessage
from amparo.intake import digest, services
from amparo.intake.models import DigestPreference
from tests.cases.conftest import new_report

ALARMS = "/o/defenders/alarms/"
DAY = datetime(2026, 11, 3, 8, 0, tzinfo=UTC)


def queued_bodies() -> list[str]:
    from amparo.outbound.services import open_message

    return [open_message(row).body for row in OutboundMessage.objects.filter(kind="digest")]


def test_a_caseworker_turns_the_digest_on_and_gets_only_what_is_new_and_unread(people, signed_in):
    report = new_report(people.org, narrative="CANARY-NARRATIVE threats after my article.")
    report.assigned_to = people.carlos
    report.save(update_fields=["assigned_to"])
    with time_machine.travel(DAY - timedelta(days=2), tick=False):
        services.reporter_answer(report, "old, before the digest was on")
    client = signed_in(people.carlos)
    with time_machine.travel(DAY - timedelta(days=1), tick=False):
        assert "Send me a daily e-mail" in client.get(ALARMS).content.decode()
        client.post(f"{ALARMS}digest/", {"daily": "1"})
        assert "Stop the daily e-mail" in client.get(ALARMS).content.decode()
    with time_machine.travel(DAY - timedelta(hours=12), tick=False):
        services.reporter_answer(report, "CANARY-ANSWER it started on Monday")
        services.change_consent(report, {"consent_statistics": "no"})
    with time_machine.travel(DAY, tick=False):
        assert digest.send_due() == 1
    (body,) = queued_bodies()
    assert body.count(f"The reporter of {report.reference}") == 2  # answered, changed consent
    assert f"/o/defenders/reports/{report.pk}/" in body
    assert "CANARY" not in body and "old, before" not in body
    # The next day: nothing new, nothing sent.
    with time_machine.travel(DAY + timedelta(days=1), tick=False):
        assert digest.send_due() == 0


def test_in_the_persons_language_and_off_means_off(people, signed_in):
    people.carlos.preferred_language = "es"
    people.carlos.save(update_fields=["preferred_language"])
    report = new_report(people.org)
    report.assigned_to = people.carlos
    report.save(update_fields=["assigned_to"])
    with time_machine.travel(DAY - timedelta(days=1), tick=False):
        digest.set_daily(people.carlos, people.org, True)
    with time_machine.travel(DAY - timedelta(hours=1), tick=False):
        services.request_deletion(report)
    with time_machine.travel(DAY, tick=False):
        digest.send_due()
    row = OutboundMessage.objects.get(kind="digest")
    assert row.recipient_domains == "defenders.example"
    (body,) = queued_bodies()
    assert f"El reportante de {report.reference} pidió eliminar su reporte." in body
    assert "Sin leer desde el último resumen:" in body
    assert "/o/defenders/alarms/" in body
    digest.set_daily(people.carlos, people.org, False)
    with time_machine.travel(DAY + timedelta(days=2), tick=False):
        services.reporter_answer(report, "more")
        assert digest.send_due() == 0


def test_someone_who_left_gets_no_digest_and_others_cannot_switch_it(people, signed_in):
    digest.set_daily(people.carlos, people.org, True)
    report = new_report(people.org)
    report.assigned_to = people.carlos
    report.save(update_fields=["assigned_to"])
    services.reporter_answer(report, "answer")
    Membership.objects.filter(user=people.carlos).update(is_active=False)
    assert digest.send_due() == 0
    # Another organisation's admin has no alarms page here, and no switch.
    assert signed_in(people.otto).post(f"{ALARMS}digest/", {"daily": "1"}).status_code == 404
    assert not DigestPreference.objects.filter(user=people.otto).exists()
