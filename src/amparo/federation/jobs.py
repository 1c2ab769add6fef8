"""The worker's federation job: every ``client.INTERVAL``, sync each partner that is due
(a failing partner waits out its backoff), and forget old nonces. The job schedules its own
next run; a daily job makes sure one is scheduled (after a restore, say)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from amparo.worker.registry import daily, scheduled

SYNC = "federation.sync"
ENSURE = "federation.ensure_sync"


def schedule_next(delay_seconds: float | None = None) -> None:
    from datetime import timedelta

    from amparo.federation.client import INTERVAL
    from amparo.worker.services import schedule

    due = timezone.now() + (
        timedelta(seconds=delay_seconds) if delay_seconds is not None else INTERVAL
    )
    schedule(SYNC, key=f"{SYNC}:{due:%Y%m%dT%H%M}", due_at=due)


@scheduled(SYNC)
def sync_all(job: Any) -> None:
    from amparo.federation.client import due_partners, sync_partner
    from amparo.federation.replay import forget_old_nonces

    try:
        forget_old_nonces()
        for partner in due_partners():
            sync_partner(partner)
    finally:
        schedule_next()


@daily(ENSURE)
def ensure_sync(job: Any) -> None:
    from amparo.worker.models import ScheduledJob

    if not ScheduledJob.objects.filter(kind=SYNC, status=ScheduledJob.Status.PENDING).exists():
        schedule_next(0)
