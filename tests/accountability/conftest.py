"""Incidents and escalations for the figures, made through the real intake and escalation
services (only the days are moved, as if they had been received then)."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

import pytest
from django.utils import timezone


def noon(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(12)))


def make_incidents(org: Any, rows: list[dict[str, Any]]) -> list[Any]:
    """Reports as the public form takes them; each row: day, and any of platform,
    incident_type, country, language, gender, identities, consent_statistics."""
    from amparo.intake.forms import ReportForm
    from amparo.intake.models import Report
    from amparo.intake.services import submit_report
    from tests.intake.conftest import valid_report

    made = []
    for row in rows:
        fields = {
            k: row[k]
            for k in ("platform", "incident_type", "country", "gender", "consent_statistics")
            if k in row
        }
        data = valid_report(**fields)
        if row.get("identities"):
            data["identities"] = row["identities"]
        form = ReportForm(data)
        assert form.is_valid(), form.errors
        report = submit_report(
            org,
            form.report_fields(),
            channel="web_form",
            language=row.get("language", "en"),
            with_followup=False,
        ).report
        Report.objects.filter(pk=report.pk).update(received_at=noon(row["day"]))
        made.append(report)
    return made


def many(day: date, n: int, **fields: Any) -> list[dict[str, Any]]:
    return [{"day": day, **fields} for _ in range(n)]


def make_escalation(
    org: Any,
    actor: Any,
    *,
    platform: str,
    sent_on: date,
    answered_on: date | None = None,
    outcome: str = "",
    restored_on: date | None = None,
    country: str = "MX",
) -> Any:
    """A case escalated by hand through the real lifecycle, with the platform's answer."""
    import time_machine

    from amparo.cases.services import open_case
    from amparo.escalations import lifecycle
    from amparo.escalations import register as esc_register
    from amparo.escalations.services import create

    (report,) = make_incidents(org, [{"day": sent_on, "platform": platform, "country": country}])
    with time_machine.travel(noon(sent_on), tick=False):
        case = open_case(org, reports=[report], title="escalated", actor=actor)
        channel = esc_register.channels_for_case(case)[0]
        escalation = create(case, channel.code, actor=actor)
        assert escalation.status == "ready", escalation.status
        lifecycle.mark_sent_by_hand(escalation, actor=actor, sent_on=sent_on)
    if answered_on:
        with time_machine.travel(noon(max(answered_on, restored_on or answered_on)), tick=False):
            lifecycle.record_response(
                escalation,
                actor=actor,
                received_on=answered_on,
                outcome=outcome,
                account_restored_on=restored_on,
            )
    escalation.refresh_from_db()
    return escalation


@pytest.fixture
def coordinator(people: Any) -> Any:
    from amparo.accounts import services
    from amparo.accounts.models import User
    from tests.conftest import PASSWORD

    user = User.objects.create_user("cora@defenders.example", PASSWORD, display_name="Cora")
    services.add_member(people.org, user, "coordinator", actor=None)
    people.cora = user
    return user
