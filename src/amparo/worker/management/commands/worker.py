from __future__ import annotations

import logging
import os
import socket
import threading
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections, connection
from django.utils import timezone
from django.utils.crypto import get_random_string
from django_tasks_db.management.commands.db_worker import Worker

from amparo.core import rls
from amparo.worker import services
from amparo.worker.jobs import schedule_daily_jobs

logger = logging.getLogger("amparo.worker")


class AmparoWorker(Worker):
    """django-tasks' database worker, plus heartbeats, crash recovery and scheduled jobs.

    * a heartbeat row every few seconds, from a thread, even during a long task;
    * every loop: give back tasks and jobs held by workers whose heartbeat stopped (killed with
      SIGKILL, machine lost), then run due scheduled jobs, then one queued task.
    """

    def __init__(self, *, heartbeat_seconds: float, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.heartbeat_seconds = heartbeat_seconds
        self.started_at = timezone.now()
        self._last_recovery = 0.0

    def _heartbeat_loop(self) -> None:
        while self.running:
            try:
                services.beat(self.worker_id, os.getpid(), socket.gethostname(), self.started_at)
            except Exception:
                logger.exception("heartbeat failed")
            finally:
                connection.close()
            time.sleep(self.heartbeat_seconds)

    def run(self) -> None:
        from django_tasks_db.models import DBTaskResult
        from django_tasks_db.utils import exclusive_transaction

        services.beat(self.worker_id, os.getpid(), socket.gethostname(), self.started_at)
        threading.Thread(target=self._heartbeat_loop, daemon=True, name="heartbeat").start()
        schedule_daily_jobs()
        logger.info("worker %s started", self.worker_id)
        while self.running:
            close_old_connections()
            # Row-level security: the loop (recovery, claiming) works across organisations;
            # jobs and tasks of one organisation narrow it (services.run_job, the tasks).
            rls.set_scope(rls.BYPASS)
            if time.monotonic() - self._last_recovery > self.heartbeat_seconds:
                tasks, jobs = services.recover_abandoned()
                if tasks or jobs:
                    logger.warning(
                        "recovered %d task(s) and %d job(s) from dead workers", tasks, jobs
                    )
                self._last_recovery = time.monotonic()
            did_work = False
            for job in services.claim_due(self.worker_id):
                did_work = True
                try:
                    services.run_job(job)
                except Exception:
                    logger.exception("scheduled job %s failed", job.pk)
            queryset = DBTaskResult.objects.ready().filter(backend_name=self.backend_name)
            with exclusive_transaction(queryset.db):
                task_result = queryset.get_locked()
                if task_result is not None:
                    task_result.claim(self.worker_id)
            if task_result is not None:
                did_work = True
                self.run_task(task_result)
            close_old_connections()
            if self.running and not did_work:
                time.sleep(self.interval)


class Command(BaseCommand):
    help = (
        "Run the background worker: queued tasks, scheduled jobs (deadlines, alarms) and recovery."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--interval", type=float, default=1.0, help="Seconds between polls when idle."
        )
        parser.add_argument(
            "--heartbeat", type=float, default=5.0, help="Seconds between heartbeats."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from amparo.core.runtime import require_runtime_settings
        from amparo.keyring.kek import current_kek

        require_runtime_settings(current_kek)
        worker = AmparoWorker(
            queue_names=["*"],
            interval=options["interval"],
            batch=False,
            backend_name="default",
            startup_delay=False,
            max_tasks=None,
            worker_id=f"{socket.gethostname()[:40]}-{get_random_string(8)}",
            excluded_queue_names=[],
            heartbeat_seconds=options["heartbeat"],
        )
        worker.configure_signals()
        worker.run()
