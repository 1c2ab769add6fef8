"""Scheduled detection runs over an organisation's collected items.

What a helpline collects for detection arrives as the files of posts and enforcement actions
its coordinators upload for runs; a schedule runs detection again, every day or week, over all
such files uploaded in the last ``window_days`` (as long as the retention policy keeps them:
files retention has deleted are simply no longer collected) and, if chosen, the suspensions and
removals of the organisation's own reports. The run belongs to the person who set the schedule
up; if they can no longer start runs (left, or not a coordinator any more), the schedule pauses
itself and says why on the page.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from amparo.accounts.access import require_capability
from amparo.accounts.roles import Capability
from amparo.audit.services import record
from amparo.campaigns.models import DetectionRun, DetectionSchedule
from amparo.keyring.services import organisation_key
from amparo.worker.registry import daily

if TYPE_CHECKING:
    from amparo.accounts.models import User
    from amparo.accounts.types import Actor

#: The worker job that starts the runs that are due (daily, and at each worker start).
JOB = "campaigns.scheduled_runs"
MAX_WINDOW_DAYS = 365


def create_schedule(
    organisation: Any,
    *,
    actor: User,
    name: str,
    every_days: int,
    window_days: int,
    params: dict[str, Any],
    include_case_actions: bool,
    now: datetime | None = None,
) -> DetectionSchedule:
    require_capability(actor, organisation.pk, Capability.COORDINATE)
    name = name.strip()
    if not name:
        raise ValidationError(_("Give the schedule a name."))
    if every_days not in DetectionSchedule.Every.values:
        raise ValidationError(_("Choose every day or every week."))
    if not 1 <= window_days <= MAX_WINDOW_DAYS:
        raise ValidationError(
            _("Collected items: from 1 to %(n)d days back.") % {"n": MAX_WINDOW_DAYS}
        )
    with transaction.atomic():
        schedule = DetectionSchedule.objects.create(
            organisation=organisation,
            name=name[:80],
            created_by=actor,
            every_days=every_days,
            window_days=window_days,
            params=params,
            include_case_actions=include_case_actions,
            next_run_at=now or timezone.now(),
        )
        record(
            "campaigns.schedule_created",
            actor=actor,
            obj=schedule,
            new={"every_days": every_days, "window_days": window_days},
        )
        transaction.on_commit(_run_soon)
    return schedule


def set_active(schedule: DetectionSchedule, active: bool, *, actor: User) -> None:
    require_capability(actor, schedule.organisation_id, Capability.COORDINATE)
    with transaction.atomic():
        schedule.active = active
        schedule.note = ""
        if active:
            schedule.created_by = actor  # the runs are started as the person who resumed it
        if active and schedule.next_run_at < timezone.now():
            schedule.next_run_at = timezone.now()
            transaction.on_commit(_run_soon)
        schedule.save(update_fields=["active", "note", "next_run_at", "created_by"])
        record(
            "campaigns.schedule_resumed" if active else "campaigns.schedule_paused",
            actor=actor,
            obj=schedule,
        )


def delete_schedule(schedule: DetectionSchedule, *, actor: Actor) -> None:
    require_capability(actor, schedule.organisation_id, Capability.COORDINATE)
    with transaction.atomic():
        record("campaigns.schedule_deleted", actor=actor, obj=schedule)
        schedule.delete()


def collected_inputs(run: DetectionRun) -> list[tuple[DetectionRun, dict[str, Any]]]:
    """The files a scheduled ``run`` reads: those of the organisation's own runs (not other
    scheduled ones) uploaded within its schedule's window and still kept, oldest first."""
    schedule = run.schedule
    if schedule is None:
        return []
    since = run.created_at - timedelta(days=schedule.window_days)
    sources = DetectionRun.objects.filter(
        organisation_id=run.organisation_id,
        schedule__isnull=True,
        created_at__gte=since,
        created_at__lte=run.created_at,
    ).order_by("created_at")
    return [(source, item) for source in sources for item in (source.inputs or [])]


def start_due(now: datetime | None = None) -> list[DetectionRun]:
    """Start a run for every active schedule that is due; returns the runs started."""
    now = now or timezone.now()
    started = []
    for schedule in DetectionSchedule.objects.filter(active=True, next_run_at__lte=now):
        try:
            run = _start(schedule, now)
        except PermissionDenied:
            DetectionSchedule.objects.filter(pk=schedule.pk).update(
                active=False,
                note="creator_cannot_run",
            )
            record("campaigns.schedule_paused", obj=schedule, new={"why": "creator_cannot_run"})
            continue
        started.append(run)
    return started


@transaction.atomic
def _start(schedule: DetectionSchedule, now: datetime) -> DetectionRun:
    require_capability(schedule.created_by, schedule.organisation_id, Capability.COORDINATE)
    run = DetectionRun.objects.create(
        organisation_id=schedule.organisation_id,
        data_key=organisation_key(schedule.organisation),
        created_by=schedule.created_by,
        params=schedule.params,
        include_case_actions=schedule.include_case_actions,
        inputs=[],
        schedule=schedule,
    )
    # Due from midnight (UTC) of the day it is next due, so that the daily job, whatever time
    # of day it runs, starts it on that day and a schedule never slips by a day.
    day = (now + timedelta(days=schedule.every_days)).astimezone(UTC).date()
    schedule.next_run_at = datetime(day.year, day.month, day.day, tzinfo=UTC)
    schedule.save(update_fields=["next_run_at"])
    record("campaigns.run_started", obj=run, new={"scheduled": True})
    from amparo.campaigns.tasks import run_detection

    transaction.on_commit(lambda: run_detection.enqueue(str(run.pk)))
    return run


def _run_soon() -> None:
    """Ask the worker to look for due schedules now, not only at its daily round."""
    from uuid import uuid4

    from amparo.worker.services import schedule

    schedule(JOB, key=f"{JOB}:now:{uuid4()}", due_at=timezone.now())


@daily(JOB)
def _daily(job: Any) -> None:
    start_due()
