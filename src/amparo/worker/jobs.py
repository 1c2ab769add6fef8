"""Built-in scheduled jobs: housekeeping that keeps the database small and sessions short, and
the planner statistics SQLite needs to choose its indexes well."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connections
from django.utils import timezone

from amparo.worker.registry import daily_kinds, scheduled

HOUSEKEEPING = "worker.housekeeping"
OPTIMIZE_DATABASE = "worker.optimize_database"
# Rows ANALYZE reads from each index on SQLite: enough for the planner, a few milliseconds.
ANALYSIS_LIMIT = 1000


@scheduled(HOUSEKEEPING)
def housekeeping(job: Any) -> None:
    """Remove expired sessions, old finished task results and old outbound messages' content
    and rows, then schedule the next run."""
    from django_tasks_db.models import DBTaskResult

    from amparo.outbound.services import purge
    from amparo.worker.compat import TaskResultStatus
    from amparo.worker.services import schedule

    call_command("clearsessions")
    purge()  # content of long-failed outbound e-mail, metadata of old finished ones
    DBTaskResult.objects.filter(
        status=TaskResultStatus.SUCCESSFUL, finished_at__lt=timezone.now() - timedelta(days=14)
    ).delete()
    tomorrow = timezone.now() + timedelta(hours=24)
    schedule(HOUSEKEEPING, key=f"{HOUSEKEEPING}:{tomorrow:%Y-%m-%d}", due_at=tomorrow)


def optimize_database(using: str = DEFAULT_DB_ALIAS) -> bool:
    """SQLite: refresh the statistics its query planner uses (``ANALYZE``, each index sampled
    up to ``ANALYSIS_LIMIT`` rows). Without them SQLite guesses, and may walk every case
    looking up its tags instead of starting from the tag. PostgreSQL: nothing, autovacuum
    analyses. Returns whether anything ran."""
    connection = connections[using]
    if connection.vendor != "sqlite":
        return False
    with connection.cursor() as cursor:
        cursor.execute(f"PRAGMA analysis_limit = {ANALYSIS_LIMIT}")
        cursor.execute("ANALYZE")
        # Before SQLite 3.46, PRAGMA optimize only looks at the tables this connection has
        # queried, which for a fresh connection is none: hence the ANALYZE above.
        cursor.execute("PRAGMA optimize")
    return True


@scheduled(OPTIMIZE_DATABASE)
def optimize_database_job(job: Any) -> None:
    """Daily: the planner statistics (SQLite), then schedule the next run."""
    from amparo.worker.services import schedule

    optimize_database()
    tomorrow = timezone.now() + timedelta(hours=24)
    schedule(OPTIMIZE_DATABASE, key=f"{OPTIMIZE_DATABASE}:{tomorrow:%Y-%m-%d}", due_at=tomorrow)


def schedule_daily_jobs() -> None:
    """At the worker's start: today's run of each daily job (one per day however often the
    worker restarts); each run schedules the next."""
    from amparo.worker.services import schedule

    now = timezone.now()
    for kind in (HOUSEKEEPING, OPTIMIZE_DATABASE, *daily_kinds()):
        schedule(kind, key=f"{kind}:{now:%Y-%m-%d}", due_at=now)


def optimize_after_migrate(sender: Any, using: str = DEFAULT_DB_ALIAS, **kwargs: Any) -> None:
    """After ``migrate`` (new indexes, tables): fresh statistics at once, not the next day."""
    optimize_database(using)
