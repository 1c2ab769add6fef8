"""The case list's "Next due" now counts escalation and remedy clocks (cases/clocks.py), not only
tasks: store it again for the open cases that run such a clock."""

from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import migrations
from django.db.models import Min

OPEN = ["new", "triaged", "in_progress", "escalated", "awaiting_platform"]


def _zone(country):
    from amparo.core.countries import EU_EEA
    from amparo.engines.remedies.clocks import member_state_timezone

    if (country or "").upper() in EU_EEA:
        try:
            return member_state_timezone(country)
        except ValueError:
            pass
    return ZoneInfo(settings.TIME_ZONE)


def forwards(apps, schema_editor):
    Case = apps.get_model("cases", "Case")
    Task = apps.get_model("cases", "Task")
    Escalation = apps.get_model("escalations", "Escalation")
    RemedyStep = apps.get_model("remedies", "RemedyStep")
    ids = set(Escalation.objects.filter(status="sent").values_list("case_id", flat=True))
    ids |= set(
        RemedyStep.objects.filter(status__in=["prepared", "filed"]).values_list(
            "decision__case_id", flat=True
        )
    )
    for case in Case.objects.filter(pk__in=ids, status__in=OPEN).only("pk", "country"):
        found = []
        task = Task.objects.filter(case=case, done_at__isnull=True).aggregate(m=Min("due_at"))
        sent = Escalation.objects.filter(case=case, status="sent").aggregate(
            m=Min("expected_response_at")
        )
        found += [v for v in (task["m"], sent["m"]) if v]
        steps = RemedyStep.objects.filter(decision__case=case)
        days = [
            d
            for d in (
                steps.filter(status="prepared").aggregate(m=Min("filing_deadline"))["m"],
                steps.filter(status="filed").aggregate(m=Min("decision_due"))["m"],
            )
            if d
        ]
        if days:
            end = datetime.combine(min(days), time(23, 59, 59), tzinfo=_zone(case.country))
            found.append(end.astimezone(UTC))
        Case.objects.filter(pk=case.pk).update(next_due_at=min(found) if found else None)


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0004_statement_match"),
        ("escalations", "0001_initial"),
        ("remedies", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
