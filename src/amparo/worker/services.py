"""Scheduling, claiming and recovering background work."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from amparo.core import rls
from amparo.worker.models import Heartbeat, ScheduledJob
from amparo.worker.registry import handler_for

MAX_ATTEMPTS = 5
# A task is started at most this many times when its worker dies while running it.
MAX_TASK_ATTEMPTS = 3

logger = logging.getLogger("amparo.worker")


def schedule(
    kind: str,
    *,
    key: str,
    due_at: datetime,
    organisation: Any = None,
    payload: dict[str, Any] | None = None,
) -> ScheduledJob:
    """Schedule a job once per ``key``; scheduling it again moves a still-pending job's due time."""
    job, created = ScheduledJob.objects.get_or_create(
        key=key,
        defaults={
            "kind": kind,
            "due_at": due_at,
            "organisation": organisation,
            "payload": payload or {},
        },
    )
    if not created and job.status == ScheduledJob.Status.PENDING and job.due_at != due_at:
        job.due_at = due_at
        job.save(update_fields=["due_at"])
    return job


def cancel(key: str) -> bool:
    return (
        ScheduledJob.objects.filter(key=key, status=ScheduledJob.Status.PENDING).update(
            status=ScheduledJob.Status.CANCELLED, finished_at=timezone.now()
        )
        == 1
    )


def claim_due(
    worker_id: str, *, limit: int = 20, now: datetime | None = None
) -> list[ScheduledJob]:
    now = now or timezone.now()
    claimed = []
    candidates = (
        ScheduledJob.objects.filter(status=ScheduledJob.Status.PENDING, due_at__lte=now)
        .order_by("due_at")
        .values_list("pk", flat=True)[:limit]
    )
    for pk in list(candidates):
        won = ScheduledJob.objects.filter(pk=pk, status=ScheduledJob.Status.PENDING).update(
            status=ScheduledJob.Status.CLAIMED, claimed_by=worker_id, claimed_at=now
        )
        if won == 1:
            claimed.append(ScheduledJob.objects.get(pk=pk))
    return claimed


def run_job(job: ScheduledJob) -> None:
    handler = handler_for(job.kind)
    job.attempts += 1
    try:
        if handler is None:
            raise LookupError(f"no handler for scheduled job kind {job.kind!r}")
        # Row-level security: a job of one organisation sees only that organisation's case
        # data; a job of none (daily housekeeping, audit head) works across organisations.
        scope = job.organisation_id if job.organisation_id else rls.BYPASS
        with rls.organisation(scope), transaction.atomic():
            handler(job)
    except Exception as exc:
        job.error = type(exc).__name__
        job.status = (
            ScheduledJob.Status.FAILED
            if job.attempts >= MAX_ATTEMPTS
            else ScheduledJob.Status.PENDING
        )
        if job.status == ScheduledJob.Status.PENDING:
            job.due_at = timezone.now() + timedelta(seconds=30 * 2**job.attempts)
        job.finished_at = timezone.now() if job.status == ScheduledJob.Status.FAILED else None
        job.save(update_fields=["attempts", "error", "status", "due_at", "finished_at"])
        raise
    job.status = ScheduledJob.Status.DONE
    job.finished_at = timezone.now()
    job.save(update_fields=["attempts", "status", "finished_at"])


def beat(worker_id: str, pid: int, hostname: str, started_at: datetime) -> None:
    Heartbeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={
            "pid": pid,
            "hostname": hostname,
            "started_at": started_at,
            "last_seen": timezone.now(),
        },
    )


def live_worker_ids(now: datetime | None = None) -> set[str]:
    cutoff = (now or timezone.now()) - timedelta(seconds=settings.AMPARO_WORKER_LEASE_SECONDS)
    return set(Heartbeat.objects.filter(last_seen__gte=cutoff).values_list("worker_id", flat=True))


class WorkerLost(Exception):
    """The worker running a task or job died (killed, out of memory, machine lost)."""


def recover_abandoned(now: datetime | None = None) -> tuple[int, int]:
    """Give work held by dead workers back to the queue; returns (tasks, scheduled jobs).

    A worker is dead when its heartbeat is older than the lease. Its running task goes back to
    READY and runs again from the start, so tasks must be idempotent (they are written so).
    A task that was running each of the ``MAX_TASK_ATTEMPTS`` times a worker died (every claim
    appends the worker to ``worker_ids``) is a poison task: it is marked FAILED instead, logged
    and audited, so it cannot kill every worker forever. A scheduled job whose worker died
    counts the attempt and fails after ``MAX_ATTEMPTS``, like a job that raised.
    """
    from django_tasks_db.models import DBTaskResult

    from amparo.worker.compat import TaskResultStatus

    now = now or timezone.now()
    live = live_worker_ids(now)
    cutoff = now - timedelta(seconds=settings.AMPARO_WORKER_LEASE_SECONDS)
    tasks = 0
    for result in DBTaskResult.objects.filter(
        status=TaskResultStatus.RUNNING, started_at__lt=cutoff
    ):
        owner = result.worker_ids[-1] if result.worker_ids else None
        if owner in live:
            continue
        if len(result.worker_ids) >= MAX_TASK_ATTEMPTS:
            _give_up_task(result, now)
            continue
        tasks += DBTaskResult.objects.filter(pk=result.pk, status=TaskResultStatus.RUNNING).update(
            status=TaskResultStatus.READY, started_at=None
        )
    jobs = 0
    for job in ScheduledJob.objects.filter(
        status=ScheduledJob.Status.CLAIMED, claimed_at__lt=cutoff
    ):
        if job.claimed_by in live:
            continue
        attempts = job.attempts + 1
        failed = attempts >= MAX_ATTEMPTS
        changed = ScheduledJob.objects.filter(pk=job.pk, status=ScheduledJob.Status.CLAIMED).update(
            status=ScheduledJob.Status.FAILED if failed else ScheduledJob.Status.PENDING,
            claimed_by="",
            claimed_at=None,
            attempts=attempts,
            error=WorkerLost.__name__,
            finished_at=now if failed else None,
        )
        if changed and failed:
            logger.error(
                "scheduled job %s (%s) failed: its worker died in each of %d attempts",
                job.pk,
                job.kind,
                attempts,
            )
        elif changed:
            jobs += 1
    Heartbeat.objects.filter(last_seen__lt=now - timedelta(days=1)).delete()
    return tasks, jobs


def _give_up_task(result: Any, now: datetime) -> None:
    from django_tasks_db.models import DBTaskResult

    from amparo.audit.services import record
    from amparo.worker.compat import TaskResultStatus

    attempts = len(result.worker_ids)
    with transaction.atomic():
        changed = DBTaskResult.objects.filter(pk=result.pk, status=TaskResultStatus.RUNNING).update(
            status=TaskResultStatus.FAILED,
            finished_at=now,
            exception_class_path=f"{WorkerLost.__module__}.{WorkerLost.__qualname__}",
            traceback=f"the worker running this task died in each of {attempts} attempts",
        )
        if changed:
            record(
                "task.gave_up",
                new={"task": str(result.pk), "name": result.task_path[:200], "attempts": attempts},
            )
    if changed:
        logger.error(
            "task %s (%s) failed: its worker died in each of %d attempts; not run again",
            result.pk,
            result.task_path,
            attempts,
        )


def failed_work(now: datetime | None = None, days: int = 7) -> dict[str, Any]:
    """For monitoring: tasks and scheduled jobs that failed in the last ``days`` days, and
    how many of them because their worker kept dying (poison tasks)."""
    from django_tasks_db.models import DBTaskResult

    from amparo.worker.compat import TaskResultStatus

    since = (now or timezone.now()) - timedelta(days=days)
    failed = DBTaskResult.objects.filter(status=TaskResultStatus.FAILED, finished_at__gte=since)
    lost = f"{WorkerLost.__module__}.{WorkerLost.__qualname__}"
    jobs = ScheduledJob.objects.filter(status=ScheduledJob.Status.FAILED, finished_at__gte=since)
    return {
        "failed_tasks": failed.count(),
        "tasks_that_killed_their_worker": failed.filter(exception_class_path=lost).count(),
        "failed_jobs": jobs.count(),
    }
