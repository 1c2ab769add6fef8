"""Built-in scheduled jobs: housekeeping that keeps the database small and sessions short."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.management import call_command
from django.utils import timezone

from amparo.worker.registry import scheduled

HOUSEKEEPING = "worker.housekeeping"


@scheduled(HOUSEKEEPING)
def housekeeping(job: Any) -> None:
    """Remove expired sessions and old finished task results, then schedule the next run."""
    from django_tasks_db.models import DBTaskResult

    from amparo.worker.compat import TaskResultStatus
    from amparo.worker.services import schedule

    call_command("clearsessions")
    DBTaskResult.objects.filter(
        status=TaskResultStatus.SUCCESSFUL, finished_at__lt=timezone.now() - timedelta(days=14)
    ).delete()
    tomorrow = timezone.now() + timedelta(hours=24)
    schedule(HOUSEKEEPING, key=f"{HOUSEKEEPING}:{tomorrow:%Y-%m-%d}", due_at=tomorrow)
