"""The clocks of a case, for its page and for the case list's "Next due" and "Overdue".

A case runs several clocks at once: its open tasks (a due time), each escalation that was sent
(the platform's answer is expected by ``expected_response_at``), each remedy step prepared but
not filed (file by ``filing_deadline``) and each step filed and waiting (the decision is due on
``decision_due``). The earliest is stored on the case as ``next_due_at``, which the list shows
and its "Overdue" view reads from an index (cases/listing.py).

A remedy deadline is a day in the zone of whoever files (docs/remedies.md, "Time zones"),
stored on the step (``RemedyStep.time_zone``): the person's member state when the person acts,
the organisation's when it acts as notifier. It ends at 23:59:59 there, which is another instant
in Lisbon than in Helsinki. A step without a zone counts in the person's member state, and a case
outside the EU counts in the deployment's zone (``AMPARO_TIME_ZONE``).

Every service that starts, moves or stops one of these clocks calls :func:`refresh`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.utils import timezone

from amparo.core.countries import EU_EEA

TASK = "task"
ESCALATION = "escalation"
FILING = "remedy_filing"
DECISION = "remedy_decision"


@dataclass(frozen=True)
class Clock:
    """One running clock of a case. ``obj`` is the task, escalation or remedy step."""

    kind: str
    due_at: datetime
    zone: str
    obj: Any

    @property
    def overdue(self) -> bool:
        return self.due_at < timezone.now()

    @property
    def day(self) -> date:
        """The due day in the clock's own zone."""
        return self.due_at.astimezone(ZoneInfo(self.zone)).date()

    @property
    def days_left(self) -> int:
        """Whole days to the due day, counted in the clock's zone (0 on the day itself)."""
        return (self.day - datetime.now(ZoneInfo(self.zone)).date()).days


def zone_for(case: Any) -> ZoneInfo:
    """The zone a remedy deadline of ``case`` is counted in: the member state's, else the
    deployment's."""
    from amparo.engines.remedies.clocks import member_state_timezone

    country = (case.country or "").upper()
    if country in EU_EEA:
        try:
            return member_state_timezone(country)
        except ValueError:
            pass
    return ZoneInfo(settings.TIME_ZONE)


def step_zone(step: Any, case: Any) -> ZoneInfo:
    """The zone a remedy step's days are counted in: its own (whoever files), else the case's."""
    if step.time_zone:
        try:
            return ZoneInfo(step.time_zone)
        except (ZoneInfoNotFoundError, ValueError):
            pass
    return zone_for(case)


def day_ends_at(day: date, zone: ZoneInfo) -> datetime:
    """The last moment of ``day`` in ``zone``, in UTC (as stored)."""
    from amparo.engines.remedies.clocks import deadline_at

    return deadline_at(day, zone).astimezone(UTC)


def clocks_of(case: Any) -> list[Clock]:
    """Every running clock of ``case``, the earliest first."""
    from amparo.escalations.models import Escalation
    from amparo.escalations.models import Status as EscalationStatus
    from amparo.remedies.models import RemedyStep

    found: list[Clock] = []
    deployment = settings.TIME_ZONE
    for task in case.tasks.filter(done_at__isnull=True, due_at__isnull=False):
        found.append(Clock(TASK, task.due_at, deployment, task))
    for escalation in Escalation.objects.filter(
        case=case, status=EscalationStatus.SENT, expected_response_at__isnull=False
    ).only("pk", "channel_code", "platform", "status", "expected_response_at", "sent_at"):
        assert escalation.expected_response_at is not None
        found.append(Clock(ESCALATION, escalation.expected_response_at, deployment, escalation))
    for step in RemedyStep.objects.filter(decision__case=case, status__in=["prepared", "filed"]):
        day = step.filing_deadline if step.status == "prepared" else step.decision_due
        if day is not None:
            kind = FILING if step.status == "prepared" else DECISION
            zone = step_zone(step, case)
            found.append(Clock(kind, day_ends_at(day, zone), zone.key, step))
    return sorted(found, key=lambda clock: clock.due_at)


def next_due_at(case: Any) -> datetime | None:
    """The earliest running clock of ``case`` (what the case list shows as "Next due")."""
    from django.db.models import Min

    from amparo.escalations.models import Escalation
    from amparo.escalations.models import Status as EscalationStatus
    from amparo.remedies.models import RemedyStep

    candidates: list[datetime] = []
    task = case.tasks.filter(done_at__isnull=True, due_at__isnull=False).aggregate(m=Min("due_at"))
    if task["m"]:
        candidates.append(task["m"])
    sent = Escalation.objects.filter(case=case, status=EscalationStatus.SENT).aggregate(
        m=Min("expected_response_at")
    )
    if sent["m"]:
        candidates.append(sent["m"])
    # Each step's last day ends in its own zone: the earliest instant, not the earliest day.
    for step in RemedyStep.objects.filter(
        decision__case=case, status__in=["prepared", "filed"]
    ).only("status", "filing_deadline", "decision_due", "time_zone"):
        day = step.filing_deadline if step.status == "prepared" else step.decision_due
        if day is not None:
            candidates.append(day_ends_at(day, step_zone(step, case)))
    return min(candidates) if candidates else None


def refresh(case: Any) -> None:
    """Store the case's next due time again after one of its clocks started, moved or stopped
    (in the caller's transaction)."""
    from amparo.cases.models import Case

    due = next_due_at(case)
    Case.objects.filter(pk=case.pk).update(next_due_at=due)
    case.next_due_at = due
